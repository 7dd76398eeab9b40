/**
 * @packageDocumentation
 * `@vesicle/cli`: the `vesicle` command. Import {@link main} to run it in-process.
 */
export { main, usage, COMMANDS, commandHelp, parseArgs, type CommandDef, type OptionDef, type ParsedArgs } from "./main.js";
export type { OptionType, OptionValue } from "./options.js";
export { cliReference } from "./reference.js";
