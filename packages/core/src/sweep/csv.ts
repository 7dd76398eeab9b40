/**
 * RFC 4180 CSV that pandas, R and Observable read without options: a header row, CRLF line ends,
 * fields quoted only when they must be, numbers in full precision and plain notation JS can parse back.
 */

/** A cell: a number, a string, or missing (written as an empty field). */
export type CsvValue = number | string | null | undefined;

/** One field: a finite number as its shortest exact decimal form, a non-finite or missing one as empty. */
export function csvField(value: CsvValue): string {
  if (value === null || value === undefined) return "";
  if (typeof value === "number") return Number.isFinite(value) ? String(value) : "";
  return /[",\r\n]/.test(value) || value !== value.trim() ? `"${value.replace(/"/g, '""')}"` : value;
}

/** A table: header row, then one row per record, each line ended by CRLF. */
export function formatCsv<K extends string>(columns: readonly K[], records: readonly Readonly<Record<K, CsvValue>>[]): string {
  const line = (cells: readonly CsvValue[]) => cells.map(csvField).join(",") + "\r\n";
  return line(columns) + records.map((r) => line(columns.map((c) => r[c]))).join("");
}
