/**
 * Command-line entry of the Messages API mock, for the demo and for manual
 * runs of the real CLI:
 *   bun test/helpers/mock-anthropic/cli.ts [--port 0] [--scenario f.json] [--scenario-dir dir] [--log req.jsonl]
 * Prints `MOCK_LISTENING <port>` once it accepts requests; `--scenario-dir`
 * registers every `<name>.json` in the folder under `<name>` (chosen by the
 * `x-mock-scenario` header). Stops on SIGINT/SIGTERM.
 */
import { appendFileSync, readdirSync, readFileSync } from "node:fs";
import { basename, join } from "node:path";
import { parseArgs } from "node:util";
import { type MockScenario, parseScenario } from "./scenario";
import { startMockAnthropic } from "./server";

function readScenario(path: string): MockScenario {
  return parseScenario(JSON.parse(readFileSync(path, "utf8")), path);
}

const { values } = parseArgs({
  args: process.argv.slice(2),
  options: {
    port: { type: "string", default: "0" },
    scenario: { type: "string" },
    "scenario-dir": { type: "string" },
    log: { type: "string" },
  },
});

const scenarios: Record<string, MockScenario> = {};
const dir = values["scenario-dir"];
if (dir) {
  for (const file of readdirSync(dir).filter((name) => name.endsWith(".json"))) {
    scenarios[basename(file, ".json")] = readScenario(join(dir, file));
  }
}
const logPath = values.log;
const mock = startMockAnthropic({
  port: Number(values.port),
  scenarios,
  ...(values.scenario ? { scenario: readScenario(values.scenario) } : {}),
  onRequest(record) {
    if (record.kind === "other") process.stderr.write(`MOCK_UNKNOWN ${record.method} ${record.path}\n`);
    if (logPath) appendFileSync(logPath, `${JSON.stringify(record)}\n`);
  },
});
process.stdout.write(`MOCK_LISTENING ${mock.port}\n`);

const shutdown = () => {
  void mock.stop().then(() => process.exit(0));
};
process.on("SIGINT", shutdown);
process.on("SIGTERM", shutdown);
