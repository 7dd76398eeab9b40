/**
 * File rules every writer in vesicle follows: write atomically (temp file, then rename), and never
 * overwrite what a user already has.
 */
import { existsSync, mkdirSync, readdirSync, renameSync, writeFileSync, readFileSync, rmSync } from "node:fs";
import { dirname, join, basename } from "node:path";
import { VesicleError } from "./errors.js";

/** Writes `data` to `path` so a reader sees the old file or the new one, never half of one. */
export function writeFileAtomic(path: string, data: string | Uint8Array): void {
  mkdirSync(dirname(path), { recursive: true });
  const tmp = join(dirname(path), `.${basename(path)}.${process.pid}.${Date.now()}.tmp`);
  try {
    writeFileSync(tmp, data);
    renameSync(tmp, path);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw e;
  }
}

export function writeJsonAtomic(path: string, value: unknown): void {
  writeFileAtomic(path, JSON.stringify(value, null, 2) + "\n");
}

/** Reads and parses a JSON file; a missing or corrupt file is a clear {@link VesicleError}. */
export function readJson(path: string, what: string): unknown {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (e) {
    throw new VesicleError(`cannot read ${what} ${path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`, "unreadable");
  }
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new VesicleError(`${what} ${path} is not valid JSON (${(e as Error).message}); the file is corrupt or truncated`, "unreadable");
  }
}

/** Creates `dir` for a new run; refuses one that already holds anything, so nothing is overwritten. */
export function createFreshDirectory(dir: string): void {
  if (existsSync(dir) && readdirSync(dir).length > 0)
    throw new VesicleError(`${dir} already exists and is not empty; choose another --out (nothing was overwritten)`, "dir-exists");
  mkdirSync(dir, { recursive: true });
}
