/**
 * One process at a time per directory (a run dir, a sweep dir): two processes resuming the same
 * run would both write it. A lock left by a process that died (kill -9, power cut) is taken over.
 */
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { hostname } from "node:os";
import { threadId } from "node:worker_threads";
import { VesicleError } from "./errors.js";

interface LockInfo {
  readonly pid: number;
  readonly thread: number;
  readonly host: string;
  readonly started: string;
}

/**
 * Creates the lock file at `path` or throws a {@link VesicleError} (code `"locked"`) saying who
 * holds it. Returns the release function. `what` names the thing locked, e.g. "the run in runs/a".
 */
export function acquireLock(path: string, what: string): () => void {
  const mine: LockInfo = { pid: process.pid, thread: threadId, host: hostname(), started: new Date().toISOString() };
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      writeFileSync(path, JSON.stringify(mine) + "\n", { flag: "wx" });
      return () => rmSync(path, { force: true });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e;
    }
    const holder = readLock(path);
    if (holder && holder.host !== mine.host)
      throw new VesicleError(`${what} is locked by process ${holder.pid} on ${holder.host} (since ${holder.started}); if nothing runs there, delete ${path} and retry`, "locked");
    if (holder && isAlive(holder.pid))
      throw new VesicleError(`${what} is in use by another vesicle process (pid ${holder.pid}, since ${holder.started}); wait for it or stop it first. If that process is not vesicle, delete ${path} and retry`, "locked");
    rmSync(path, { force: true }); // its holder is gone, or the file is unreadable: a stale lock
  }
  throw new VesicleError(`could not lock ${what}: another process keeps taking ${path}`, "locked");
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
    return (e as NodeJS.ErrnoException).code === "EPERM"; // exists, but belongs to another user
  }
}
