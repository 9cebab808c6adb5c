/** Public face of the Messages API mock: the server factory and the scenario types. */

export type { MockError, MockScenario, MockToolUse, MockTurn } from "./scenario";
export { EXHAUSTED_TEXT, parseScenario } from "./scenario";
export type { MockAnthropic, MockAnthropicOptions, MockRequestRecord, MockToolResult } from "./server";
export { startMockAnthropic } from "./server";
