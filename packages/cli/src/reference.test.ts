import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { expect, it } from "vitest";
import { cliReference } from "./reference.js";

it("docs/cli.md matches the command tables (run `npm run docs:cli` after changing options)", () => {
  const path = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "..", "docs", "cli.md");
  expect(readFileSync(path, "utf8")).toBe(cliReference());
});
