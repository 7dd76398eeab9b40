// One network training on the fused backend for a fixed number of steps, in a worker thread,
// reading the shared MNIST pixels (SharedArrayBuffer, not copied).
import { parentPort, workerData } from "node:worker_threads";
import { fusedBackend } from "../dist/fused/index.js";
import { batches, sessionOptions } from "./common.js";

const { dataset, steps, seed } = workerData;
const session = await fusedBackend.createSession(sessionOptions(dataset, seed));
const next = batches(dataset, seed);
for (let i = 0; i < 20; i++) await session.step(next());
parentPort.postMessage({ ready: true });
const t = performance.now();
for (let i = 0; i < steps; i++) await session.step(next());
parentPort.postMessage({ seconds: (performance.now() - t) / 1000, steps });
