/**
 * What the story loop needs from isolation, as a port: an attempt's own
 * worktree (`open`), the merge queue (`land`: a pass may come back as a
 * retry or a failure), keeping whatever the attempt left (`close`), and
 * a hint that a lane has nothing to start (`idle`).
 * `isolation/workspace.ts` is the real one; the loop never sees git.
 */
import type { PipelineOutcome } from "../pipeline/pipeline";
import type { StoryContext } from "../pipeline/stage";

export interface LaneHandle {
  storyId: string;
  attempt: number;
  /** The attempt's worktree: the stages' workdir. */
  path: string;
  /** The commit the worktree was cut from, when known: the attempt's start (`state.baseRef`). */
  base?: string;
}

export interface AttemptIsolation {
  open(storyId: string, attempt: number): Promise<LaneHandle>;
  land(lane: LaneHandle, ctx: StoryContext, outcome: PipelineOutcome): Promise<PipelineOutcome>;
  close(lane: LaneHandle, outcome: PipelineOutcome): Promise<string | undefined>;
  /**
   * A lane found nothing to start (the stories left are held by other lanes or wait on them): the
   * housekeeping held back so as to stay off the lanes' path (landed worktrees' removal) may run now.
   */
  idle?(): void;
}
