/**
 * The CLI declared as data: each command lists its options once, and the parser, `--help` and the
 * generated CLI reference in docs/ all read the same table, so they cannot drift apart.
 */
import { VesicleError } from "@vesicle/core";

export type OptionType = "number" | "integer" | "string" | "boolean" | "numbers" | "strings";

export interface OptionDef {
  readonly name: string;
  readonly type: OptionType;
  readonly description: string;
  /** Shown in help; applied by the command, not the parser (so "unset" stays visible). */
  readonly defaultText?: string;
  /** Allowed values, for string options; a function so registries can fill it in at run time. */
  readonly choices?: () => readonly string[];
}

export interface CommandDef {
  readonly name: string;
  readonly summary: string;
  /** Positional arguments, for help text. */
  readonly positionals?: string;
  readonly options: readonly OptionDef[];
  run(args: ParsedArgs): Promise<number>;
}

export type OptionValue = number | string | boolean | number[] | string[];

export interface ParsedArgs {
  readonly options: Readonly<Record<string, OptionValue>>;
  readonly positionals: readonly string[];
}

/** Parses `--name value`, `--name=value` and `--flag`; every bad token is one clear error. */
export function parseArgs(command: CommandDef, argv: readonly string[]): ParsedArgs {
  const options: Record<string, OptionValue> = {};
  const positionals: string[] = [];
  const byName = new Map(command.options.map((o) => [o.name, o]));
  for (let i = 0; i < argv.length; i++) {
    const token = argv[i];
    if (!token.startsWith("--")) {
      positionals.push(token);
      continue;
    }
    const eq = token.indexOf("=");
    const name = token.slice(2, eq === -1 ? undefined : eq);
    const def = byName.get(name);
    if (!def) throw new VesicleError(`unknown option --${name} for "vesicle ${command.name}"; see vesicle ${command.name} --help`, "bad-option");
    if (def.type === "boolean") {
      if (eq !== -1) throw new VesicleError(`--${name} is a flag and takes no value`, "bad-option");
      options[name] = true;
      continue;
    }
    let raw: string | undefined = eq === -1 ? argv[++i] : token.slice(eq + 1);
    if (raw === undefined || (eq === -1 && raw.startsWith("--"))) throw new VesicleError(`--${name} needs a value`, "bad-option");
    if (name in options) throw new VesicleError(`--${name} was given twice`, "bad-option");
    options[name] = convert(def, raw);
  }
  return { options, positionals };
}

function convert(def: OptionDef, raw: string): OptionValue {
  const num = (s: string): number => {
    const v = s.trim() === "" ? NaN : Number(s);
    if (!Number.isFinite(v)) throw new VesicleError(`--${def.name} must be a finite number, got "${s}"`, "bad-option");
    if (def.type === "integer" && !Number.isInteger(v)) throw new VesicleError(`--${def.name} must be an integer, got "${s}"`, "bad-option");
    return v;
  };
  const str = (s: string): string => {
    const allowed = def.choices?.();
    if (allowed && !allowed.includes(s)) throw new VesicleError(`--${def.name} must be one of ${allowed.join(", ")}; got "${s}"`, "bad-option");
    return s;
  };
  switch (def.type) {
    case "number":
    case "integer":
      return num(raw);
    case "numbers":
      return raw.split(",").map(num);
    case "strings":
      return raw.split(",").map((s) => str(s.trim()));
    default:
      return str(raw);
  }
}

/** `--help` text for one command, from its table. */
export function commandHelp(command: CommandDef): string {
  const lines = [`vesicle ${command.name}${command.positionals ? " " + command.positionals : ""} [options]`, "", command.summary, "", "Options:"];
  const width = Math.max(...command.options.map((o) => o.name.length + valueHint(o).length)) + 4;
  for (const o of command.options) {
    const head = `  --${o.name}${valueHint(o)}`;
    const extra = [o.choices ? `one of: ${o.choices().join(", ")}` : "", o.defaultText ? `default: ${o.defaultText}` : ""].filter(Boolean).join("; ");
    lines.push(`${head.padEnd(width + 2)} ${o.description}${extra ? ` (${extra})` : ""}`);
  }
  return lines.join("\n");
}

function valueHint(o: OptionDef): string {
  return { number: " <x>", integer: " <n>", string: " <s>", boolean: "", numbers: " <x,x,…>", strings: " <s,s,…>" }[o.type];
}

/** Typed accessors with the command's defaults. */
export function getNumber(args: ParsedArgs, name: string): number | undefined {
  return args.options[name] as number | undefined;
}
export function getString(args: ParsedArgs, name: string): string | undefined {
  return args.options[name] as string | undefined;
}
export function getFlag(args: ParsedArgs, name: string): boolean {
  return args.options[name] === true;
}
