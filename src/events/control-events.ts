/** Control commands (`nax pause|resume|skip|abort`): read, then acknowledged once (src/control/run-control.ts owns all three). */
import { z } from "zod";
import { ControlKindSchema, ControlOutcomeSchema } from "../control/command";
import { defineEvent } from "./define";

const command = { id: z.string(), kind: ControlKindSchema, storyId: z.string().optional() };

export const CONTROL_EVENTS = [
  defineEvent(
    "command:received",
    "the run read a control command it has not applied yet (it waits for the next safe point)",
    z.object({ ...command, now: z.boolean().optional() }),
  ),
  defineEvent(
    "command:applied",
    "a control command was acknowledged, once per id: applied, ignored (with why) or expired (the run ended first)",
    z.object({ ...command, outcome: ControlOutcomeSchema, detail: z.string() }),
  ),
  defineEvent(
    "run:resumed",
    "a paused run goes on: new agent sessions may start again",
    z.object({ reason: z.string(), pausedMs: z.number() }),
  ),
] as const;
