/**
 * What integration and e2e tests read back after a run, always
 * through the writers' own schemas: the status file, the PRD's stories and
 * the run's event log (named by the status file's run id).
 */
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { PrdSchema, type UserStory } from "../../src/prd/schema";
import { type EventLine, EventLineSchema } from "../../src/state/event-line";
import { type StatusFile, StatusFileSchema } from "../../src/state/status-file";
import type { TestProject } from "./project";

export async function readStatus(project: TestProject): Promise<StatusFile> {
  return StatusFileSchema.parse(await project.readJson("nax/status.json"));
}

export async function readStories(project: TestProject): Promise<Record<string, UserStory>> {
  const prd = PrdSchema.parse(await project.readJson(`nax/features/${project.feature}/prd.json`));
  return Object.fromEntries(prd.userStories.map((story) => [story.id, story]));
}

export async function readEvents(project: TestProject): Promise<EventLine[]> {
  const runId = (await readStatus(project)).run.id;
  const text = await readFile(join(project.dir, "nax/features", project.feature, "runs", `${runId}.jsonl`), "utf8");
  return text
    .trim()
    .split("\n")
    .map((line) => EventLineSchema.parse(JSON.parse(line)));
}

/** The events of one type, in order. */
export function ofType(events: EventLine[], type: string): EventLine[] {
  return events.filter((event) => event.type === type);
}

/** The `data` of every event of one type, in order: what most assertions compare. */
export function dataOf(events: EventLine[], type: string): Record<string, unknown>[] {
  return ofType(events, type).map((event) => event.data);
}
