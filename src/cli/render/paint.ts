/**
 * Colour for human output, and the only place chalk is configured. Colour is
 * on only for a terminal and never when NO_COLOR is set (any value), so piped
 * output and logs stay plain text.
 */
import { Chalk } from "chalk";

export interface Paint {
  readonly enabled: boolean;
  ok(text: string): string;
  warn(text: string): string;
  error(text: string): string;
  dim(text: string): string;
  bold(text: string): string;
}

export function shouldColor(env: Readonly<Record<string, string | undefined>>, isTTY: boolean): boolean {
  if (env.NO_COLOR !== undefined) return false;
  if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== "0") return true;
  return isTTY;
}

export function createPaint(options: { env: Readonly<Record<string, string | undefined>>; isTTY: boolean }): Paint {
  const enabled = shouldColor(options.env, options.isTTY);
  const chalk = new Chalk({ level: enabled ? 1 : 0 });
  return {
    enabled,
    ok: (text) => chalk.green(text),
    warn: (text) => chalk.yellow(text),
    error: (text) => chalk.red(text),
    dim: (text) => chalk.dim(text),
    bold: (text) => chalk.bold(text),
  };
}
