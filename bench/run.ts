/**
 * `npm run bench`: runs every benchmark script in this folder one after the
 * other (they compete for the same two cores otherwise) and prints their
 * figures. Benchmarks assert nothing; the figures go into the README.
 */
import { join } from "node:path";

const BENCHES = [
  "git-calls.ts",
  "overhead.ts",
  "parallel.ts",
  "worktree-create.ts",
  "smart-runner.ts",
  "scoped-runners.ts",
  "runs.ts",
  "scale.ts",
  "suite.ts",
];
const only = process.argv.slice(2);

for (const name of BENCHES) {
  if (only.length > 0 && !only.some((o) => name.startsWith(o))) continue;
  const path = join(import.meta.dir, name);
  if (!(await Bun.file(path).exists())) {
    console.log(`${name}: not present, skipped`);
    continue;
  }
  console.log(`\n== ${name}`);
  const proc = Bun.spawn([process.execPath, path], { stdout: "inherit", stderr: "inherit", stdin: "ignore" });
  const code = await proc.exited;
  if (code !== 0) console.log(`${name}: exited ${code}`);
}
