/**
 * The smart test runner decides WHAT to run after an attempt: only the tests
 * covering what changed (scoped) or the full suite. It never decides to run
 * nothing (trap 22): an attempt that changed nothing, a change it cannot map,
 * a command it cannot scope, or a git failure all mean the full suite. The
 * effective command and the reason for the choice are returned so the caller
 * can log exactly what ran and why (trap 33: a user whose command was not
 * narrowed must be able to see why).
 */
import type { NaxConfig } from "../config/schema";
import type { ChangedFiles } from "./changed-files";
import { configBoundReason } from "./runner-config";
import { fillScopedTemplate, type ReadCommand, readTestCommand, scopeTestCommand } from "./scoped-command";
import { listProjectFiles, projectPaths } from "./test-files";
import { type MappingFs, mapChangesToTests, type TestMapping } from "./test-mapping";

export type TestPlan =
  | { scope: "scoped"; files: string[]; command: string; reason: string }
  | { scope: "full"; command: string; reason: string }
  /** No test command is configured: the verify stage decides what that means. */
  | { scope: "none"; reason: string };

/** Above this many project files and folders the scan costs more than it saves. */
const MAX_ENTRIES = 50_000;

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
      // Read before git: listing the changes costs two processes per verify, wasted when nothing could narrow.
      const template = input.commands.testScoped;
      let read: ReadCommand | undefined;
      if (!template) {
        const reading = readTestCommand(full);
        if (!reading.ok) {
          return fullSuite(`cannot scope "${full}": ${reading.reason}; set quality.commands.testScoped with {{files}}`);
        }
        read = reading.read;
      }

      let changed: string[];
      try {
        changed = await deps.changedFiles(input.cwd, input.baseRef);
      } catch (error) {
        // Not knowing what changed is a reason to test more, never less.
        return fullSuite(`could not list changed files: ${(error as Error).message}`);
      }
      if (changed.length === 0) return fullSuite("the attempt changed no files; verifying the full suite");

      let mapping: TestMapping;
      let project: string[] | undefined;
      try {
        project = await listProjectFiles(deps.fs, input.cwd, MAX_ENTRIES);
        if (!project) return fullSuite("the project is too large to map changes to tests");
        mapping = await mapChangesToTests(deps.fs, {
          projectFiles: project,
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

      const covering = (count: number) => `${count} test file(s) cover ${changed.length} changed file(s)`;
      if (!read) {
        const files = mapping.files;
        return {
          scope: "scoped",
          files,
          command: fillScopedTemplate(template ?? "", files),
          reason: covering(files.length),
        };
      }
      const bound = await configBoundReason(deps.fs, input.cwd, read);
      if (bound) return fullSuite(bound);
      const scoped = scopeTestCommand(read, mapping.files, projectPaths(input.cwd, project));
      if (scoped.kind === "full") return fullSuite(scoped.reason);
      const left = mapping.files.filter((file) => !scoped.files.includes(file));
      // Said, not hidden: a user who expected a test to run can see it lies outside the command's paths.
      const outside = left.length > 0 ? `; left out, outside the command's paths: ${left.join(", ")}` : "";
      return {
        scope: "scoped",
        files: scoped.files,
        command: scoped.command,
        reason: `${covering(scoped.files.length)}${outside}`,
      };
    },
  };
}
