/** Placeholder until the `nax features` command is built: registers nothing. */
import type { RegisterCommand } from "../program";

export const registerFeatures: RegisterCommand = () => undefined;
