/** Every CLI command, in the order `vesicle --help` lists them. */
import type { CommandDef } from "../options.js";
import { backendsCommand, costsCommand } from "./list.js";
import { figuresCommand } from "./figures.js";
import { sweepCommand } from "./sweep.js";
import { trainCommand } from "./train.js";

export const COMMANDS: readonly CommandDef[] = [trainCommand, sweepCommand, figuresCommand, backendsCommand, costsCommand];
