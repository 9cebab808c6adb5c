/**
 * `nax features create <name>` (a prd.json template with one example story,
 * and the spec.md template `nax plan` reads) and `nax features list` (name, stories, passed, last status).
 */
import { resolve } from "node:path";
import { errorMessage, NaxError } from "../../errors";
import { countStories } from "../../prd/counts";
import { loadPrd, serializePrd } from "../../prd/load";
import { prdTemplate, specTemplate } from "../../prd/template";
import { listFeatures } from "../../readers/features";
import { readJsonAs } from "../../readers/read-json";
import { jsonSchemaText, PRD_SCHEMA_POINTER } from "../../state/json-schema";
import { assertFeatureName, featurePaths, projectNameFor, projectPaths } from "../../state/paths";
import { StatusFileSchema } from "../../state/status-file";
import { requireWorkdir } from "../../state/workdir";
import type { CliIo } from "../io";
import type { RegisterCommand } from "../program";

interface DirOption {
  dir?: string;
}

async function createFeature(io: CliIo, name: string, options: DirOption): Promise<number> {
  const { fs, clock } = io.sys;
  const workdir = await requireWorkdir(fs, resolve(io.cwd, options.dir ?? "."));
  const paths = featurePaths(workdir, assertFeatureName(name));
  if (await fs.exists(paths.dir)) {
    throw new NaxError("FEATURE_EXISTS", `${paths.dir}: feature "${name}" already exists; choose another name`, {
      feature: name,
    });
  }
  const template = { $schema: PRD_SCHEMA_POINTER, ...prdTemplate(projectNameFor(workdir), name, clock.iso()) };
  await fs.writeAtomic(paths.prd, serializePrd(template));
  await fs.writeAtomic(paths.spec, specTemplate(name));
  io.out(`created ${paths.prd}`);
  io.out(`created ${paths.spec}`);
  // The `$schema` pointer must name a file that exists: a project made by an older `nax init` has none yet.
  const schema = projectPaths(workdir).prdSchema;
  if (!(await fs.exists(schema))) {
    await fs.writeAtomic(schema, jsonSchemaText("prd"));
    io.out(`created ${schema}`);
  }
  io.out(
    `next: describe the feature in spec.md and run \`nax plan -f ${name}\` (or write the stories in prd.json yourself), commit, then \`nax run -f ${name}\``,
  );
  return 0;
}

export interface FeatureRow {
  name: string;
  stories: number;
  passed: number;
  status: string;
}

async function featureRow(io: CliIo, workdir: string, name: string): Promise<FeatureRow> {
  const paths = featurePaths(workdir, name);
  let stories = 0;
  let passed = 0;
  let status = "never run";
  try {
    const counts = countStories(await loadPrd(io.sys.fs, paths.prd));
    stories = counts.total;
    passed = counts.passed;
  } catch (error) {
    // Converted: one broken PRD costs its row, not the listing.
    status = `invalid prd.json (${errorMessage(error).split("\n")[0]})`;
    return { name, stories, passed, status };
  }
  const snapshot = await readJsonAs(io.sys.fs, paths.status, StatusFileSchema);
  if (snapshot.kind === "ok") status = snapshot.value.run.status;
  return { name, stories, passed, status };
}

export function formatFeatureTable(rows: FeatureRow[]): string[] {
  const header = ["FEATURE", "STORIES", "PASSED", "STATUS"];
  const cells = rows.map((r) => [r.name, String(r.stories), String(r.passed), r.status]);
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => (c[i] as string).length)));
  const line = (values: string[]) =>
    values
      .map((v, i) => (i === values.length - 1 ? v : v.padEnd(widths[i] as number)))
      .join("  ")
      .trimEnd();
  return [line(header), ...cells.map(line)];
}

async function listCommand(io: CliIo, options: DirOption & { json?: boolean }): Promise<number> {
  const workdir = await requireWorkdir(io.sys.fs, resolve(io.cwd, options.dir ?? "."));
  const names = await listFeatures(io.sys.fs, workdir);
  const rows = await Promise.all(names.map((name) => featureRow(io, workdir, name)));
  if (options.json) {
    io.out(JSON.stringify(rows));
  } else if (rows.length === 0) {
    io.out("no features yet; create one with `nax features create <name>`");
  } else {
    for (const line of formatFeatureTable(rows)) io.out(line);
  }
  return 0;
}

export const registerFeatures: RegisterCommand = (program, ctx) => {
  const features = program.command("features").description("create and list features");
  features
    .command("create <name>")
    .description("create nax/features/<name>/ with a prd.json template and spec.md")
    .option("-d, --dir <path>", "project folder (default: found from the current folder)")
    .action(async (name: string, options: DirOption) => {
      ctx.setExit(await createFeature(ctx.io, name, options));
    });
  features
    .command("list")
    .description("every feature with its stories, passed count and last run status")
    .option("-d, --dir <path>", "project folder (default: found from the current folder)")
    .option("--json", "machine-readable output")
    .action(async (options: DirOption & { json?: boolean }) => {
      ctx.setExit(await listCommand(ctx.io, options));
    });
};
