import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { csvField } from "./csv.js";
import { RESULT_COLUMNS, toCsv, writeResults, type ResultRow } from "./results.js";

/** A strict RFC 4180 reader, independent of the writer, for round trips. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = "";
  let i = 0;
  let quoted = false;
  while (i < text.length) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') (field += '"'), (i += 2);
      else if (ch === '"') (quoted = false), i++;
      else (field += ch), i++;
    } else if (ch === '"' && field === "") (quoted = true), i++;
    else if (ch === ",") row.push(field), (field = ""), i++;
    else if (ch === "\r" && text[i + 1] === "\n") row.push(field), rows.push(row), (row = []), (field = ""), (i += 2);
    else if (ch === "\n" || ch === "\r") throw new Error(`bare line break at ${i}`);
    else (field += ch), i++;
  }
  if (field !== "" || row.length) throw new Error("last record lacks its CRLF");
  return rows;
}

const row = (over: Partial<ResultRow>): ResultRow => ({
  mechanism: "calcium-efflux",
  rho: 0.5,
  c: 0.0177827941003892,
  noise: "heterogeneous",
  seed: 0,
  epochs: 50,
  accuracy_mean: 0.9812,
  accuracy_sample: 0.1 + 0.2,
  accuracy_expected: 1 / 3,
  test_nll: 0.0612345678901234,
  sigma_rms: 5e-324,
  sigma_mean: 1.7976931348623157e308,
  reliability_cost_s1: 1234567.891,
  magnitude_cost: 2 / 7,
  wall_seconds: 152.25,
  member_id: "calcium-efflux_c1.78e-02_heterogeneous_s0",
  ...over,
});

describe("results CSV", () => {
  const rows = [row({}), row({ rho: 2 / 3, c: 1e4, noise: "homogeneous", seed: 7, accuracy_sample: null, test_nll: null, member_id: "x" })];

  it("round-trips every number exactly, with missing values empty", () => {
    const table = parseCsv(toCsv(rows));
    expect(table[0]).toEqual([...RESULT_COLUMNS]);
    expect(table).toHaveLength(3);
    table.slice(1).forEach((fields, r) => {
      expect(fields).toHaveLength(RESULT_COLUMNS.length);
      RESULT_COLUMNS.forEach((col, k) => {
        const v = rows[r][col];
        if (v === null) expect(fields[k]).toBe("");
        else if (typeof v === "number") expect(Object.is(Number(fields[k]), v)).toBe(true);
        else expect(fields[k]).toBe(v);
      });
    });
  });

  it("writes plain numbers: no NaN, no thousands separators, snake_case header", () => {
    const text = toCsv([row({ accuracy_mean: NaN, magnitude_cost: Infinity })]);
    expect(text).not.toMatch(/NaN|Infinity/);
    expect(text).toContain(",1234567.891,");
    expect(text.split("\r\n")[0]).toMatch(/^[a-z0-9_,]+$/);
    expect(text.endsWith("\r\n")).toBe(true);
  });

  it("quotes only fields that need it", () => {
    expect(csvField("actin")).toBe("actin");
    expect(csvField('a,"b"')).toBe('"a,""b"""');
    expect(csvField("two\nlines")).toBe('"two\nlines"');
    expect(parseCsv(`${csvField('a,"b"')},${csvField("two\r\nlines")}\r\n`)).toEqual([['a,"b"', "two\r\nlines"]]);
  });

  it("writes results.csv and results.json holding the same rows", () => {
    const dir = mkdtempSync(join(tmpdir(), "vesicle-results-"));
    const paths = writeResults(dir, rows);
    expect(readFileSync(paths.csv, "utf8")).toBe(toCsv(rows));
    expect(JSON.parse(readFileSync(paths.json, "utf8"))).toEqual(rows);
    writeResults(dir, []);
    expect(JSON.parse(readFileSync(paths.json, "utf8"))).toEqual([]);
    expect(parseCsv(readFileSync(paths.csv, "utf8"))).toEqual([[...RESULT_COLUMNS]]);
  });
});
