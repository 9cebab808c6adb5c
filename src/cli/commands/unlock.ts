/** Placeholder until the `nax unlock` command is built: registers nothing. */
import type { RegisterCommand } from "../program";

export const registerUnlock: RegisterCommand = () => undefined;
