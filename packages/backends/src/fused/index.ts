/**
 * The `fused` training backend: AssemblyScript kernels compiled to WebAssembly SIMD, one
 * instance per session, behind core's {@link TrainingBackend} interface.
 *
 * Built-in costs (power laws c·σ^-ρ, L1 λ|μ|) are computed inside the kernel from their closed
 * forms. Any other registered cost term still works: its `value`/`derivative` are applied in JS
 * to the σ (or μ) buffer each step, which is slower (a scalar pass over all synapses).
 */
import type { Availability, SessionOptions, TrainingBackend, TrainingSession } from "@vesicle/core";
import { instantiateKernels, kernelsPath } from "./kernels.js";
import { FusedSession } from "./session.js";

export { FusedSession } from "./session.js";

/** The fused WebAssembly SIMD training backend, registered as "fused". */
export const fusedBackend: TrainingBackend = {
  name: "fused",
  summary: "fused WebAssembly SIMD kernels (AssemblyScript): one core per network, fastest on CPU",
  async probe(): Promise<Availability> {
    if (!kernelsPath()) return { ok: false, reason: "kernels.wasm is not built; run `npm run build` in packages/backends" };
    try {
      instantiateKernels();
      return { ok: true };
    } catch (e) {
      return { ok: false, reason: `this runtime cannot run WebAssembly SIMD: ${(e as Error).message}` };
    }
  },
  async createSession(options: SessionOptions): Promise<TrainingSession> {
    return new FusedSession(options);
  },
};
