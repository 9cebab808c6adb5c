/**
 * For tests of LLM routing through @anthropic-ai/sdk: one loopback Messages
 * API mock per test file (started and stopped with it, reset after each
 * test), the test's project cleaned up after it, and a `Sys` whose
 * environment points the SDK at the mock.
 */
import { afterAll, afterEach, beforeAll } from "bun:test";
import { createSys, type Sys } from "../../src/system/sys";
import { type MockAnthropic, startMockAnthropic } from "./mock-anthropic";
import type { TestProject } from "./project";

export interface SdkRoutingFixture {
  mock(): MockAnthropic;
  /** Cleans `project` up after the current test; returns it. */
  track(project: TestProject): TestProject;
  /** The project's environment plus an API key and ANTHROPIC_BASE_URL naming the mock. */
  sysFor(project: TestProject): Sys;
}

export function useSdkRoutingMock(): SdkRoutingFixture {
  let mock: MockAnthropic | undefined;
  let project: TestProject | undefined;
  beforeAll(() => {
    mock = startMockAnthropic({ scenario: { turns: [] } });
  });
  afterAll(() => mock?.stop());
  afterEach(async () => {
    await project?.cleanup();
    project = undefined;
    mock?.reset();
  });
  const started = () => {
    if (!mock) throw new Error("the mock starts in beforeAll: use it inside a test");
    return mock;
  };
  return {
    mock: started,
    track(p) {
      project = p;
      return p;
    },
    sysFor: (p) =>
      createSys({
        env: { ...p.env, ANTHROPIC_API_KEY: "test-key", ANTHROPIC_BASE_URL: started().url },
        naxHome: p.home,
      }),
  };
}
