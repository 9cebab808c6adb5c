/**
 * The test suite's wall time and peak memory. Peak RSS comes from GNU time
 * (`/usr/bin/time -v`, "Maximum resident set size"), which reports the largest
 * single process of the tree — for `bun test` that is the test runner itself;
 * the agent CLIs it spawns are separate processes, reported by their own
 * benchmark figures. Asserts nothing.
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";

const root = join(import.meta.dir, "..");
const bun = process.execPath;
// The suite as CI and the README run it (`npm test`): its flags (the per-test timeout the real-CLI cases
// need) included, with this bun in front.
const script = (JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as { scripts: { test: string } }).scripts
  .test;
const [runner, ...args] = script.split(/\s+/);
if (runner !== "bun") throw new Error(`package.json's test script does not start with bun: ${script}`);
const started = performance.now();
const useTime = existsSync("/usr/bin/time");
const cmd = useTime ? ["/usr/bin/time", "-v", bun, ...args] : [bun, ...args];
const proc = Bun.spawn(cmd, { cwd: root, stdout: "pipe", stderr: "pipe", stdin: "ignore" });
const [stdout, stderr, code] = await Promise.all([
  new Response(proc.stdout).text(),
  new Response(proc.stderr).text(),
  proc.exited,
]);
const wallMs = performance.now() - started;
const output = `${stdout}\n${stderr}`;
const passLine = output.match(/^\s*(\d+) pass$/m)?.[1];
const failLine = output.match(/^\s*(\d+) fail$/m)?.[1];
const rssKb = Number(stderr.match(/Maximum resident set size \(kbytes\): (\d+)/)?.[1] ?? Number.NaN);

console.log(`suite: exit ${code}, ${passLine ?? "?"} pass, ${failLine ?? "?"} fail`);
// A failure is named, so a flaky test seen only here can be found again.
for (const line of output.split("\n").filter((l) => l.startsWith("(fail) "))) console.log(`suite: ${line}`);
console.log(`suite: wall time ${(wallMs / 1000).toFixed(1)} s`);
console.log(
  useTime
    ? `suite: peak RSS ${(rssKb / 1024).toFixed(0)} MB (bun test process, /usr/bin/time -v)`
    : "suite: peak RSS not measured (/usr/bin/time missing)",
);
