/** Placeholder until the `nax status` command is built: registers nothing. */
import type { RegisterCommand } from "../program";

export const registerStatus: RegisterCommand = () => undefined;
