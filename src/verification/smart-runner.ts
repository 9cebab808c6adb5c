/**
 * The smart test runner decides WHAT to run after an attempt: only the tests
 * covering what changed (scoped) or the full suite. It never decides to run
 * nothing (trap 22): an attempt that changed nothing, a change it cannot map,
 * a command it cannot scope, or a git failure all mean the full suite. The
 * effective command is returned so the caller can log exactly what ran.
 */
import type { NaxConfig } from "../config/schema";
import type { ChangedFiles } from "./changed-files";
import { buildScopedCommand, fillScopedTemplate, isScopable } from "./scoped-command";
import { type MappingFs, mapChangesToTests, type TestMapping } from "./test-mapping";

export type TestPlan =
  | { scope: "scoped"; files: string[]; command: string; reason: string }
  | { scope: "full"; command: string; reason: string }
  /** No test command is configured: the verify stage decides what that means. */
  | { scope: "none"; reason: string };

export interface PlanInput {
  cwd: string;
  /** The commit the attempt started from; without it nothing can be diffed. */
  baseRef?: string;
  smartTestRunner: NaxConfig["execution"]["smartTestRunner"];
  commands: NaxConfig["quality"]["commands"];
}

export interface SmartTestRunner {
  plan(input: PlanInput): Promise<TestPlan>;
}

export function createSmartTestRunner(deps: { changedFiles: ChangedFiles; fs: MappingFs }): SmartTestRunner {
  return {
    async plan(input) {
      const full = input.commands.test;
      if (!full) return { scope: "none", reason: "no test command is configured (quality.commands.test)" };
      const fullSuite = (reason: string): TestPlan => ({ scope: "full", command: full, reason });
      if (!input.smartTestRunner.enabled) return fullSuite("the smart test runner is disabled");
      if (!input.baseRef) return fullSuite("no base commit to diff against");
      // Asked before git: listing the changes costs two processes per verify, wasted when nothing could narrow.
      const unscopable = `cannot scope "${full}" safely; set quality.commands.testScoped with {{files}}`;
      if (!input.commands.testScoped && !isScopable(full)) return fullSuite(unscopable);

      let changed: string[];
      try {
        changed = await deps.changedFiles(input.cwd, input.baseRef);
      } catch (error) {
        // Not knowing what changed is a reason to test more, never less.
        return fullSuite(`could not list changed files: ${(error as Error).message}`);
      }
      if (changed.length === 0) return fullSuite("the attempt changed no files; verifying the full suite");

      let mapping: TestMapping;
      try {
        mapping = await mapChangesToTests(deps.fs, {
          cwd: input.cwd,
          changed,
          patterns: input.smartTestRunner.testFilePatterns,
          fallback: input.smartTestRunner.fallback,
        });
      } catch (error) {
        // An unreadable folder or file: again a reason to test more.
        return fullSuite(`could not map changes to tests: ${(error as Error).message}`);
      }
      if (mapping.kind === "unmapped") return fullSuite(mapping.reason);

      const files = mapping.files;
      const reason = `${files.length} test file(s) cover ${changed.length} changed file(s)`;
      if (input.commands.testScoped) {
        return { scope: "scoped", files, command: fillScopedTemplate(input.commands.testScoped, files), reason };
      }
      const scoped = buildScopedCommand(full, files);
      if (!scoped) return fullSuite(unscopable);
      return { scope: "scoped", files, command: scoped.command, reason };
    },
  };
}
