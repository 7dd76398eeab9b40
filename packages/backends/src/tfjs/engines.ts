/**
 * The four tfjs engines vesicle can train on. They share one code path (`session.ts`) and differ
 * only in which tfjs backend is registered and selected here.
 */
import { createRequire } from "node:module";
import { dirname } from "node:path";
import * as tf from "@tensorflow/tfjs";
import type { Availability } from "@vesicle/core";

export type TfjsEngineName = "tfjs-node" | "tfjs-node-gpu" | "tfjs-wasm" | "tfjs-cpu";

interface Engine {
  /** The tfjs backend name the engine registers. */
  readonly tfBackend: string;
  readonly summary: string;
  /** Loads and registers the engine; throws with a one-line reason when it cannot. */
  load(): Promise<void>;
}

const require = createRequire(import.meta.url);

async function importOptional(pkg: string, why: string): Promise<void> {
  try {
    await import(pkg);
  } catch (e) {
    const missing = (e as NodeJS.ErrnoException).code === "ERR_MODULE_NOT_FOUND" || /Cannot find (module|package)/.test(String(e));
    throw new Error(
      missing
        ? `${pkg} is not installed (it downloads libtensorflow at install time, which failed or was skipped here). Install it with \`npm install ${pkg}\` on a machine that can reach the TensorFlow downloads, or use --backend fused or tfjs-wasm.${why ? " " + why : ""}`
        : `${pkg} failed to load: ${(e as Error).message.split("\n")[0]}`,
    );
  }
}

export const ENGINES: Readonly<Record<TfjsEngineName, Engine>> = {
  "tfjs-node": {
    tfBackend: "tensorflow",
    summary: "native TensorFlow on the CPU via @tensorflow/tfjs-node (optional dependency)",
    load: () => importOptional("@tensorflow/tfjs-node", ""),
  },
  "tfjs-node-gpu": {
    tfBackend: "tensorflow",
    summary: "native TensorFlow with CUDA via @tensorflow/tfjs-node-gpu (optional dependency)",
    load: () => importOptional("@tensorflow/tfjs-node-gpu", "It also needs CUDA and cuDNN."),
  },
  "tfjs-wasm": {
    tfBackend: "wasm",
    summary: "tfjs WebAssembly backend (XNNPACK, SIMD); ~8-10 ms per step of the paper's network here",
    load: async () => {
      const wasm = await import("@tensorflow/tfjs-backend-wasm");
      // The .wasm binaries ship inside the package; point tfjs at them on disk.
      wasm.setWasmPaths(dirname(require.resolve("@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm")) + "/");
    },
  },
  "tfjs-cpu": {
    tfBackend: "cpu",
    summary: "tfjs pure-JavaScript CPU backend; slow (~150 ms per step), for tests and reference",
    load: async () => {
      await import("@tensorflow/tfjs-backend-cpu");
      // Production mode: skips debug checks and the console banner advertising tfjs-node.
      tf.env().set("PROD", true);
    },
  },
};

const ready = new Map<TfjsEngineName, Promise<Availability>>();

/** Loads an engine once; resolves to why it cannot run, if it cannot. */
export function probeEngine(name: TfjsEngineName): Promise<Availability> {
  let p = ready.get(name);
  if (!p) {
    p = (async (): Promise<Availability> => {
      try {
        await ENGINES[name].load();
        if (!tf.findBackendFactory(ENGINES[name].tfBackend)) return { ok: false, reason: `the ${ENGINES[name].tfBackend} tfjs backend did not register` };
        return { ok: true };
      } catch (e) {
        return { ok: false, reason: (e as Error).message };
      }
    })();
    ready.set(name, p);
  }
  return p;
}

/** Makes `name` tfjs's active backend (tfjs has one global active backend per process). */
export async function activateEngine(name: TfjsEngineName): Promise<void> {
  const a = await probeEngine(name);
  if (!a.ok) throw new Error(a.reason);
  if (tf.getBackend() !== ENGINES[name].tfBackend) {
    const ok = await tf.setBackend(ENGINES[name].tfBackend);
    if (!ok) throw new Error(`tfjs could not initialise its ${ENGINES[name].tfBackend} backend`);
  }
  await tf.ready();
}
