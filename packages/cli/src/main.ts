/**
 * @packageDocumentation
 * The `vesicle` command line: parse, call the library, print. Errors a user can fix are
 * {@link VesicleError}s and print as one line with a non-zero exit.
 */
import { VesicleError } from "@vesicle/core";
import { COMMANDS } from "./commands/index.js";
import { commandHelp, parseArgs } from "./options.js";

export { COMMANDS } from "./commands/index.js";
export { commandHelp, parseArgs, type CommandDef, type OptionDef, type ParsedArgs } from "./options.js";

export function usage(): string {
  const w = Math.max(...COMMANDS.map((c) => c.name.length));
  return [
    "vesicle: energy-efficient stochastic synapses (Malkin et al., eLife 2024)",
    "",
    "Usage: vesicle <command> [options]     vesicle <command> --help",
    "",
    "Commands:",
    ...COMMANDS.map((c) => `  ${c.name.padEnd(w)}  ${c.summary}`),
  ].join("\n");
}

/** Runs the CLI on `argv` (without node and script) and returns the exit code. */
export async function main(argv: readonly string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === "--help" || name === "-h" || name === "help") {
    process.stdout.write(usage() + "\n");
    return name === undefined ? 1 : 0;
  }
  const command = COMMANDS.find((c) => c.name === name);
  if (!command) {
    process.stderr.write(`vesicle: unknown command "${name}"; commands: ${COMMANDS.map((c) => c.name).join(", ")}\n`);
    return 2;
  }
  if (rest.includes("--help") || rest.includes("-h")) {
    process.stdout.write(commandHelp(command) + "\n");
    return 0;
  }
  try {
    return await command.run(parseArgs(command, rest));
  } catch (e) {
    if (e instanceof VesicleError) {
      process.stderr.write(`\nvesicle ${name}: ${e.message}\n`);
      return e.code === "interrupted" ? 130 : 1;
    }
    throw e;
  }
}
