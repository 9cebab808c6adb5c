/** Placeholder until the `nax diagnose` command is built: registers nothing. */
import type { RegisterCommand } from "../program";

export const registerDiagnose: RegisterCommand = () => undefined;
