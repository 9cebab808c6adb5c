/** Placeholder until the `nax runs` command is built: registers nothing. */
import type { RegisterCommand } from "../program";

export const registerRuns: RegisterCommand = () => undefined;
