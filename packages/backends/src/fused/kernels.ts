/**
 * Loads the AssemblyScript kernels (kernels.wasm, built by `npm run build` next to this module in
 * dist/fused/). The module is compiled once per process; every session gets its own instance
 * (own memory and noise state), so sessions never share mutable state.
 */
import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { VesicleError } from "@vesicle/core";

// The WebAssembly global is in Node but not in the ES2022 lib this package compiles against.
/** A WebAssembly memory, as the wrapper uses it. */
export interface WasmMemory {
  readonly buffer: ArrayBuffer;
  grow(pages: number): number;
}
interface WasmApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: unknown };
}
const Wasm = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;

/** The kernel exports, as the wrapper calls them (addresses are byte offsets into `memory`). */
export interface Kernels {
  readonly memory: WasmMemory;
  heapBase(): number;
  mapBuffer(fn: number, src: number, dst: number, n: number): void;
  seedNoise(ptr: number): void;
  fillNormal(dst: number, n: number): void;
  gatherPixels(pix: number, rows: number, inputs: number, scale: number, rowPtr: number, colIdx: number, rowVals: number, colPtr: number, rowIdx: number, vals: number): number;
  gatherFloats(x: number, rows: number, inputs: number, stride: number, skip: boolean, base: number, rowPtr: number, colIdx: number, rowVals: number, colPtr: number, rowIdx: number, vals: number): number;
  minOf(x: number, n: number): number;
  columnSums(w: number, rows: number, outP: number, out: number): void;
  forwardLayer(rowPtr: number, colIdx: number, rowVals: number, rows: number, w: number, bias: number, outP: number, colSum: number, shift: number, h: number, relu: boolean): void;
  backwardWeights(colPtr: number, rowIdx: number, vals: number, inputs: number, rows: number, delta: number, outP: number, shift: number, withShift: boolean, gW: number, gBias: number): void;
  backwardInputs(colPtr: number, rowIdx: number, inputs: number, rows: number, w: number, delta: number, outP: number, prev: number, prevStride: number): void;
  categoricalLoss(logits: number, labels: number, rows: number, outputs: number, outP: number, delta: number): number;
  gaussianLoss(out: number, targets: number, rows: number, outputs: number, outP: number, noiseStd: number, delta: number): number;
  setBuffers(mu: number, phi: number, w: number, g: number, a: number, c: number, mMu: number, vMu: number, mPhi: number, vPhi: number, extraPhi: number, extraMu: number, powers: number): void;
  setObjective(homogeneous: boolean, powerCount: number, lambda: number, scale: number): void;
  setSharedSigma(sigma: number): void;
  setAdam(stepSize: number, beta1: number, beta2: number, eps: number, invSqrtBc2: number): void;
  resetSums(): void;
  reliabilitySum(): number;
  magnitudeSum(): number;
  gradXiSum(): number;
  sampleLayer(rows: number, outputs: number, outP: number, off: number, mode: number, colSum: number, colRows: number): void;
  updateLayer(rows: number, outputs: number, outP: number, off: number, writeGrads: boolean, resample: boolean, colSum: number, colRows: number): void;
}

let compiled: object | undefined;

/** Where the .wasm is: beside the compiled module, or in dist/ when running from src/ (tests). */
export function kernelsPath(): string | undefined {
  for (const rel of ["./kernels.wasm", "../../dist/fused/kernels.wasm"]) {
    const path = fileURLToPath(new URL(rel, import.meta.url));
    if (existsSync(path)) return path;
  }
  return undefined;
}

function module(): object {
  if (compiled) return compiled;
  const path = kernelsPath();
  if (!path) throw new VesicleError("the fused kernels (kernels.wasm) are not built; run `npm run build` in packages/backends", "backend-unavailable");
  compiled = new Wasm.Module(readFileSync(path));
  return compiled;
}

/** A fresh kernel instance with its own memory. */
export function instantiateKernels(): Kernels {
  const instance = new Wasm.Instance(module(), {
    env: {
      abort(_msg: number, _file: number, line: number, col: number) {
        throw new VesicleError(`fused kernel aborted at ${line}:${col}`, "kernel-abort");
      },
    },
  });
  return instance.exports as unknown as Kernels;
}
