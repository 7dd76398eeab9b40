/**
 * `vesicle backends` and `vesicle costs`: what is registered, and whether it runs here.
 */
import type { CommandDef } from "../options.js";
import { backendRegistry, costRegistry } from "../registries.js";

export const backendsCommand: CommandDef = {
  name: "backends",
  summary: "List training backends and whether each can run on this machine.",
  options: [],
  async run() {
    for (const b of backendRegistry.list()) {
      const a = await b.probe();
      process.stdout.write(`${b.name.padEnd(14)} ${a.ok ? "available  " : "unavailable"}  ${b.summary}\n`);
      if (!a.ok) process.stdout.write(`${"".padEnd(14)} ↳ ${a.reason}\n`);
    }
    return 0;
  },
};

export const costsCommand: CommandDef = {
  name: "costs",
  summary: "List the registered cost plugins and their parameters.",
  options: [],
  async run() {
    for (const p of costRegistry.list()) {
      const params = Object.entries(p.params)
        .map(([k, v]) => `${k}${v.default !== undefined ? `=${v.default}` : ""}`)
        .join(", ");
      process.stdout.write(`${p.name.padEnd(18)} on ${p.target === "sigma" ? "σ" : "μ"}  (${params})  ${p.summary}\n`);
    }
    return 0;
  },
};
