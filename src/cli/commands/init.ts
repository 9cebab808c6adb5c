/** Placeholder until the `nax init` command is built: registers nothing. */
import type { RegisterCommand } from "../program";

export const registerInit: RegisterCommand = () => undefined;
