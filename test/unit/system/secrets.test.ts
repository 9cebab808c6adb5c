import { describe, expect, test } from "bun:test";
import { createRedactor, isSecretName, MIN_SECRET_LENGTH, secretValues } from "../../../src/system/secrets";

const ANTHROPIC = "sk-ant-api03-abcdefghijklmnop";
const AWS = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";

describe("isSecretName", () => {
  test("names with KEY, TOKEN, SECRET, PASSWORD or CREDENTIAL anywhere, in any case, look secret", () => {
    for (const name of [
      "ANTHROPIC_API_KEY",
      "GITHUB_TOKEN",
      "aws_secret_access_key",
      "DB_PASSWORD",
      "GCP_CREDENTIALS",
    ]) {
      expect(isSecretName(name)).toBe(true);
    }
  });

  test("ordinary names do not, and names that hold a secret's location (_FILE, _PATH, _DIR) do not either", () => {
    for (const name of [
      "PATH",
      "HOME",
      "NAX_HOME",
      "AWS_SHARED_CREDENTIALS_FILE",
      "SSH_KEY_PATH",
      "PASSWORD_STORE_DIR",
    ]) {
      expect(isSecretName(name)).toBe(false);
    }
  });

  test("a configured name is secret whatever it looks like", () => {
    expect(isSecretName("DATABASE_URL", ["DATABASE_URL"])).toBe(true);
    expect(isSecretName("DATABASE_URL")).toBe(false);
  });
});

describe("createRedactor", () => {
  const redactor = createRedactor({ ANTHROPIC_API_KEY: ANTHROPIC, AWS_SECRET_ACCESS_KEY: AWS, PATH: "/usr/bin" });

  test("replaces a secret value inside longer text, every time it appears", () => {
    expect(redactor.text(`key=${ANTHROPIC} then again:${ANTHROPIC}.`)).toBe("key=[redacted] then again:[redacted].");
  });

  test("replaces several secrets in the same text and leaves ordinary values alone", () => {
    const text = `ANTHROPIC_API_KEY=${ANTHROPIC}\nAWS_SECRET_ACCESS_KEY=${AWS}\nPATH=/usr/bin`;
    expect(redactor.text(text)).toBe("ANTHROPIC_API_KEY=[redacted]\nAWS_SECRET_ACCESS_KEY=[redacted]\nPATH=/usr/bin");
  });

  test("finds a value in its JSON-escaped form, and the JSON stays valid", () => {
    const tricky = 'pa"ss\\word-with-quote';
    const json = JSON.stringify({ priorFailures: [`env: DB_PASSWORD=${tricky}`] });
    const redacted = createRedactor({ DB_PASSWORD: tricky }).text(json);
    expect(redacted).not.toContain(JSON.stringify(tricky).slice(1, -1));
    expect(JSON.parse(redacted)).toEqual({ priorFailures: ["env: DB_PASSWORD=[redacted]"] });
  });

  test("finds a value in JSON quoted inside JSON", () => {
    const tricky = 'pa"ss\\word-with-quote';
    const twice = JSON.stringify({ line: JSON.stringify({ summary: `pw ${tricky}` }) });
    const redacted = createRedactor({ DB_PASSWORD: tricky }).text(twice);
    expect(JSON.parse(JSON.parse(redacted).line)).toEqual({ summary: "pw [redacted]" });
  });

  test("finds a value in its URL-encoded form", () => {
    expect(redactor.text(`https://x.test/?k=${encodeURIComponent(AWS)}`)).toBe("https://x.test/?k=[redacted]");
  });

  test("a secret that contains another is replaced whole", () => {
    const long = `${ANTHROPIC}-extended`;
    expect(createRedactor({ A_KEY: ANTHROPIC, B_KEY: long }).text(`v=${long}`)).toBe("v=[redacted]");
  });

  test("short and purely numeric values are skipped: they are flags and counts, and redacting them would corrupt JSON", () => {
    const env = { TOKENIZERS_PARALLELISM: "false", KEY_COUNT: "1", PIN_PASSWORD: "12345678", SHORT_TOKEN: "abcdefg" };
    expect("abcdefg".length).toBeLessThan(MIN_SECRET_LENGTH);
    expect(secretValues(env)).toEqual([]);
    const quiet = createRedactor(env);
    expect(quiet.size).toBe(0);
    expect(quiet.text('{"durationMs":12345678,"ok":false}')).toBe('{"durationMs":12345678,"ok":false}');
  });

  test("values of configured names and of several environments are all redacted", () => {
    const r = createRedactor(
      [{ DATABASE_URL: "postgres://u:p@db/x" }, { ANTHROPIC_AUTH_TOKEN: "tier-token-123456" }],
      ["DATABASE_URL"],
    );
    expect(r.size).toBe(2);
    expect(r.text("postgres://u:p@db/x and tier-token-123456")).toBe("[redacted] and [redacted]");
  });

  test("with no secret in the environment the redactor changes nothing", () => {
    const none = createRedactor({ PATH: "/usr/bin", HOME: "/home/u" });
    expect(none.size).toBe(0);
    expect(none.text("/usr/bin and /home/u")).toBe("/usr/bin and /home/u");
  });

  test("characters special to regular expressions in a secret are matched literally", () => {
    const r = createRedactor({ X_SECRET: "a.b*c+d?(e)[f]$^" });
    expect(r.text("a.b*c+d?(e)[f]$^ axbbbcd")).toBe("[redacted] axbbbcd");
  });
});
