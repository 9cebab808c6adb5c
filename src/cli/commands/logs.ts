/** Placeholder until the `nax logs` command is built: registers nothing. */
import type { RegisterCommand } from "../program";

export const registerLogs: RegisterCommand = () => undefined;
