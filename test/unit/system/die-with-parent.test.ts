import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { withParentDeathSignal } from "../../../src/system/die-with-parent";
import { isGone, readPidFile, waitUntilGone } from "../../fakes/process-probe";

const linuxWithSetpriv = process.platform === "linux" && Bun.which("setpriv") !== null;
const PATH = `${dirname(process.execPath)}:/usr/local/bin:/usr/bin:/bin`;
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "nax-pdeath-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("withParentDeathSignal", () => {
  test.if(linuxWithSetpriv)("puts the resolved program behind setpriv --pdeathsig KILL", () => {
    const wrapped = withParentDeathSignal(["sleep", "1"], dir, PATH);
    expect("cmd" in wrapped && wrapped.cmd.slice(1, 4)).toEqual(["--pdeathsig", "KILL", "--"]);
    expect("cmd" in wrapped && wrapped.cmd.slice(4)).toEqual([Bun.which("sleep", { PATH }) ?? "sleep", "1"]);
  });

  test("a program that does not exist is reported instead of wrapped", () => {
    const wrapped = withParentDeathSignal(["nax-no-such-program"], dir, PATH);
    if (linuxWithSetpriv) expect(wrapped).toEqual({ notFound: 'Executable not found in $PATH: "nax-no-such-program"' });
    else expect(wrapped).toEqual({ cmd: ["nax-no-such-program"] });
  });

  test.if(linuxWithSetpriv)(
    "a child of a process that is SIGKILLed dies with it: an orphaned agent cannot go on spending",
    async () => {
      // A stand-in for nax: it spawns a long `sleep` through our spawn helper, writes the sleep's pid, and waits.
      const pidFile = join(dir, "sleep.pid");
      const script = join(dir, "parent.ts");
      const spawnModule = resolve(import.meta.dir, "../../../src/system/spawn.ts");
      const groupsModule = resolve(import.meta.dir, "../../../src/system/process-groups.ts");
      await writeFile(
        script,
        `import { createSpawner } from ${JSON.stringify(spawnModule)};
import { createProcessGroups } from ${JSON.stringify(groupsModule)};
const spawn = createSpawner(createProcessGroups());
const done = spawn({ cmd: ["sh", "-c", "echo $$ > ${pidFile}; exec sleep 30"], cwd: ${JSON.stringify(dir)}, env: { PATH: ${JSON.stringify(PATH)} }, dieWithParent: true });
await done;
`,
      );
      const parent = Bun.spawn([process.execPath, script], { stdin: "ignore", stdout: "ignore", stderr: "inherit" });
      const sleeper = await readPidFile(pidFile);
      expect(isGone(sleeper)).toBe(false);
      // The only signal in this test goes to the process the test itself started.
      parent.kill("SIGKILL");
      await parent.exited;
      expect(await waitUntilGone([sleeper], 3000)).toBe(true);
    },
  );
});
