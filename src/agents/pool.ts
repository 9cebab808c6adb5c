/**
 * The agents one run may use, built on first use, and what the run has
 * learnt about each: one found not installed is out for the run, one rate
 * limited past the wait is out until its reset. Sessions ask the pool which
 * agent of their choice and `autoMode.fallback` may run now (agent-session.ts).
 */
import type { AgentName } from "../config/schema";
import type { AgentAdapter } from "./types";

export interface AgentPool {
  get(name: AgentName): AgentAdapter;
  /** `untilMs` Infinity: for the rest of the run. */
  markUnavailable(name: AgentName, untilMs: number, reason: string): void;
  /** Why the agent cannot run now, or undefined when it can. */
  unavailable(name: AgentName, nowMs: number): { untilMs: number; reason: string } | undefined;
}

export function createAgentPool(build: (name: AgentName) => AgentAdapter): AgentPool {
  const adapters = new Map<AgentName, AgentAdapter>();
  const out = new Map<AgentName, { untilMs: number; reason: string }>();
  return {
    get(name) {
      let adapter = adapters.get(name);
      if (!adapter) {
        adapter = build(name);
        adapters.set(name, adapter);
      }
      return adapter;
    },
    markUnavailable(name, untilMs, reason) {
      const known = out.get(name);
      if (!known || known.untilMs < untilMs) out.set(name, { untilMs, reason });
    },
    unavailable(name, nowMs) {
      const known = out.get(name);
      return known && known.untilMs > nowMs ? known : undefined;
    },
  };
}

/** A pool of one adapter, whatever name is asked for (unit tests, single-agent callers). */
export function singleAgentPool(agent: AgentAdapter): AgentPool {
  const pool = createAgentPool(() => agent);
  return { ...pool, get: () => agent };
}
