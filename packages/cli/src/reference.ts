/**
 * The CLI reference in docs/cli.md, generated from the same command tables the parser uses.
 */
import { COMMANDS } from "./commands/index.js";
import { commandHelp } from "./options.js";
import { usage } from "./main.js";

export function cliReference(): string {
  const parts = [
    "# vesicle CLI reference",
    "",
    "Generated from the command tables in `packages/cli/src/commands/` by `npm run docs:cli`; a test fails when this file is stale.",
    "",
    "```",
    usage(),
    "```",
  ];
  for (const c of COMMANDS) parts.push("", `## vesicle ${c.name}`, "", "```", commandHelp(c), "```");
  return parts.join("\n") + "\n";
}
