/**
 * `nax precheck [-f feature] [--json]`: every check `nax run` makes before a
 * story starts, without starting anything. Exit 0 when nothing failed
 * (warnings allowed), 1 when a check failed, 2 when the config or the PRD is
 * invalid (or a usage error).
 */
import { resolve } from "node:path";
import { runAllPrechecks } from "../../execution/precheck/all-checks";
import { describeCheck } from "../../execution/precheck/check";
import type { CliIo } from "../io";
import type { RegisterCommand } from "../program";
import { createPaint } from "../render/paint";

export interface PrecheckOptions {
  dir?: string;
  feature?: string;
  allowDirty?: boolean;
  json?: boolean;
}

export async function precheckCommand(io: CliIo, options: PrecheckOptions): Promise<number> {
  const report = await runAllPrechecks(io.sys, {
    dir: resolve(io.cwd, options.dir ?? "."),
    ...(options.feature === undefined ? {} : { feature: options.feature }),
    allowDirty: Boolean(options.allowDirty),
  });
  if (options.json) {
    io.out(JSON.stringify(report, null, 2));
    return report.exitCode;
  }
  const paint = createPaint({ env: io.sys.env, isTTY: io.isTTY });
  const mark = { pass: paint.ok("pass"), warn: paint.warn("warn"), fail: paint.error("fail") };
  const lines = report.checks.map((c) => `${mark[c.status]}  ${describeCheck(c)}`);
  const failed = report.checks.filter((c) => c.status === "fail").length;
  const warned = report.checks.filter((c) => c.status === "warn").length;
  lines.push(
    failed > 0
      ? `${failed} check${failed === 1 ? "" : "s"} failed: \`nax run\` would refuse to start`
      : `ready: ${warned > 0 ? `${warned} warning${warned === 1 ? "" : "s"}, ` : ""}nothing stops \`nax run\``,
  );
  io.out(lines.join("\n"));
  return report.exitCode;
}

export const registerPrecheck: RegisterCommand = (program, ctx) => {
  program
    .command("precheck")
    .description("check everything `nax run` needs before a story starts, without starting anything")
    .option("-d, --dir <path>", "project folder (default: found from the current folder)")
    .option("-f, --feature <name>", "the feature to check (required when there is more than one)")
    .option("--allow-dirty", "as `nax run --allow-dirty`: uncommitted changes outside nax/ only warn")
    .option("--json", "machine-readable report")
    .action(async (options: PrecheckOptions) => {
      ctx.setExit(await precheckCommand(ctx.io, options));
    });
};
