/**
 * Adam's per-synapse state, readable so later analyses can derive each synapse's effective
 * learning rate (paper, Eq. 7 and Fig. 5c).
 */
import type { NetworkParameters } from "./parameters.js";

export interface AdamState {
  /** Number of updates taken (t in Kingma and Ba). */
  readonly step: number;
  /** First and second moments for μ, in layout order. */
  readonly mMu: Float32Array;
  readonly vMu: Float32Array;
  /** First and second moments for φ (length 1 in homogeneous mode). */
  readonly mPhi: Float32Array;
  readonly vPhi: Float32Array;
}

export function zeroAdamState(params: NetworkParameters): AdamState {
  return {
    step: 0,
    mMu: new Float32Array(params.mu.length),
    vMu: new Float32Array(params.mu.length),
    mPhi: new Float32Array(params.phi.length),
    vPhi: new Float32Array(params.phi.length),
  };
}
