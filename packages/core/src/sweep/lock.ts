/**
 * One process at a time per sweep dir: two processes resuming the same sweep would train the same
 * members twice. A lock left by a process that died (kill -9, power cut) is taken over.
 */
import { join } from "node:path";
import { acquireLock } from "../lock.js";

export const LOCK_FILE = "sweep.lock";

/** Takes the sweep dir's lock; returns the function that releases it. */
export function acquireSweepLock(dir: string): () => void {
  return acquireLock(join(dir, LOCK_FILE), `the sweep in ${dir}`);
}
