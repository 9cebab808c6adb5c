/**
 * What `nax migrate` reports for each file: every key it moved, converted or
 * dropped, with the reason, so a user can check the result against the backup.
 */
export type Change =
  | { kind: "moved"; from: string; to: string }
  | { kind: "converted"; path: string; detail: string }
  | { kind: "dropped"; path: string; why: string };

export interface Migrated<T> {
  value: T;
  changes: Change[];
}

export function describeChange(change: Change): string {
  switch (change.kind) {
    case "moved":
      return `moved ${change.from} -> ${change.to}`;
    case "converted":
      return `converted ${change.path}: ${change.detail}`;
    case "dropped":
      return `dropped ${change.path}: ${change.why}`;
    default: {
      const unreachable: never = change;
      return String(unreachable);
    }
  }
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
