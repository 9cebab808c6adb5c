/**
 * Children die with nax. If nax itself is killed without a chance to clean up
 * (kill -9, the OOM killer), an orphaned agent would keep working — and
 * spending money — in the user's tree. On Linux the kernel can prevent that:
 * util-linux `setpriv --pdeathsig KILL` sets the parent-death signal and then
 * execs the real command, so pid, process group and stdio are unchanged. Where
 * setpriv is missing the command runs as it is. Children the agent starts in
 * groups of their own are not covered; the normal stop path kills those.
 */
import { accessSync, constants } from "node:fs";
import { isAbsolute, resolve } from "node:path";

const SETPRIV_PATHS = ["/usr/bin/setpriv", "/bin/setpriv"];
let setpriv: string | null | undefined;

function findSetpriv(): string | null {
  if (setpriv === undefined) {
    setpriv = process.platform === "linux" ? (SETPRIV_PATHS.find((p) => isExecutable(p)) ?? null) : null;
  }
  return setpriv;
}

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT" || code === "EACCES" || code === "ENOTDIR") return false;
    throw error;
  }
}

/** The program's path as the child would find it, or undefined when it cannot be found. */
function resolveProgram(program: string, cwd: string, path: string | undefined): string | undefined {
  if (program.includes("/")) {
    const full = isAbsolute(program) ? program : resolve(cwd, program);
    return isExecutable(full) ? full : undefined;
  }
  return Bun.which(program, { PATH: path ?? "", cwd }) ?? undefined;
}

export type Wrapped = { cmd: string[] } | { notFound: string };

/** `cmd` behind the parent-death signal; a program that does not exist is reported, not wrapped. */
export function withParentDeathSignal(cmd: string[], cwd: string, path: string | undefined): Wrapped {
  const wrapper = findSetpriv();
  const [program, ...args] = cmd;
  if (!wrapper || program === undefined) return { cmd };
  const resolved = resolveProgram(program, cwd, path);
  if (resolved === undefined) return { notFound: `Executable not found in $PATH: "${program}"` };
  return { cmd: [wrapper, "--pdeathsig", "KILL", "--", resolved, ...args] };
}
