/**
 * One process at a time per sweep dir: two processes resuming the same sweep would train the same
 * members twice. A lock left by a process that died (kill -9, power cut) is recognised and taken over.
 */
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { hostname } from "node:os";
import { join } from "node:path";
import { VesicleError } from "../errors.js";

export const LOCK_FILE = "sweep.lock";

interface LockInfo {
  readonly pid: number;
  readonly host: string;
  readonly started: string;
}

/** Takes the sweep dir's lock; returns the function that releases it. */
export function acquireSweepLock(dir: string): () => void {
  const path = join(dir, LOCK_FILE);
  const mine: LockInfo = { pid: process.pid, host: hostname(), started: new Date().toISOString() };
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      writeFileSync(path, JSON.stringify(mine) + "\n", { flag: "wx" });
      return () => rmSync(path, { force: true });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e;
    }
    const holder = readLock(path);
    if (holder && holder.host !== mine.host)
      throw new VesicleError(
        `the sweep in ${dir} is locked by process ${holder.pid} on ${holder.host} (since ${holder.started}); if no sweep is running there, delete ${path} and retry`,
        "sweep-locked",
      );
    if (holder && isAlive(holder.pid))
      throw new VesicleError(
        `another vesicle process (pid ${holder.pid}, since ${holder.started}) is running the sweep in ${dir}; wait for it or stop it first. If that process is not a vesicle sweep, delete ${path} and retry`,
        "sweep-locked",
      );
    // Its holder is gone (or the file is unreadable): a stale lock.
    rmSync(path, { force: true });
  }
  throw new VesicleError(`could not lock the sweep in ${dir}: another process keeps taking ${path}`, "sweep-locked");
}

function readLock(path: string): LockInfo | undefined {
  try {
    const info = JSON.parse(readFileSync(path, "utf8")) as LockInfo;
    return Number.isInteger(info?.pid) && typeof info.host === "string" ? info : undefined;
  } catch {
    return undefined;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    // EPERM: it exists but belongs to someone else.
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
}
