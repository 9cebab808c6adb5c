/**
 * Sections both tools name (`interaction`, and later `tdd`, `acceptance`):
 * `nax migrate` drops the nax 0.22 one, never a nax section the user wrote.
 */
import { describe, expect, test } from "bun:test";
import type { Change } from "../../../src/migrate/changes";
import { migrateConfig } from "../../../src/migrate/migrate-config";
import { findReferenceKeys } from "../../../src/migrate/reference-keys";

const pathOf = (change: Change): string => (change.kind === "moved" ? change.from : change.path);

describe("a config section name nax and nax 0.22 share", () => {
  const naxInteraction = { channels: ["auto"], timeoutSeconds: 60 };
  const referenceInteraction = { plugin: "telegram", config: { botToken: "x" }, defaults: { timeout: 600000 } };

  test("nax migrate keeps a nax interaction section and reports no change for it", () => {
    const migrated = migrateConfig({ interaction: naxInteraction });
    expect(migrated.value.interaction).toEqual(naxInteraction);
    expect(migrated.changes.map(pathOf)).not.toContain("interaction");
  });

  test("nax migrate drops a nax 0.22 interaction section with its reason", () => {
    const migrated = migrateConfig({ interaction: referenceInteraction });
    expect(migrated.value.interaction).toBeUndefined();
    expect(migrated.changes.map(pathOf)).toContain("interaction");
  });

  test("the loader's migrate hint names only the 0.22 section", () => {
    expect(findReferenceKeys({ interaction: naxInteraction })).toEqual([]);
    expect(findReferenceKeys({ interaction: referenceInteraction })).toEqual(["interaction"]);
  });
});
