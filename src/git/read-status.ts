/**
 * `git status` as nax runs it: only to read. Without `--no-optional-locks`
 * a status also refreshes the index and writes it back (taking
 * `index.lock`), so a check of the user's checkout would rewrite their
 * `.git/index` and could make their own `git commit` fail on the lock
 * meanwhile (git(1): `--no-optional-locks`, `GIT_OPTIONAL_LOCKS`). Every
 * status nax runs starts with this (trap 44, docs/traps.md).
 */
export const READ_STATUS = ["--no-optional-locks", "status"] as const;
