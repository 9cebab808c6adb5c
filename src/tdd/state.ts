/** What a TDD attempt has established so far; part of the story state the pipeline carries. */

export interface TddState {
  /** Test files the test writer added or changed, relative to the workdir. */
  testFiles: string[];
  /** The commit holding the frozen tests: the implementer's base (and every retry's). */
  frozenCommit?: string;
  /** The commit the current session started from: its changes are judged against it. */
  sessionBase?: string;
  /** The last RED judgement, when it was not RED: the evidence the test writer is sent back with. */
  notRed?: string;
  /** RED rounds judged in this attempt. */
  redRounds?: number;
  /** The tests came from an earlier attempt's frozen commit, not a new test-writer session. */
  carried?: boolean;
  /** Each test file's git blob id when nax judged it RED, and at GREEN: the ledger's TDD lines. */
  redHashes?: Record<string, string>;
  greenHashes?: Record<string, string>;
}

/** Failure categories of the TDD strategies, recorded with the failure (`nax diagnose` reads them). */
export type TddFailureCategory = "isolation-violation" | "not-red" | "test-objection" | "verifier-fail";
