/** Placeholder until the `nax run` command is built: registers nothing. */
import type { RegisterCommand } from "../program";

export const registerRun: RegisterCommand = () => undefined;
