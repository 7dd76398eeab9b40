/**
 * Where each synapse lives in the flat parameter buffers.
 *
 * Every per-synapse quantity (μ, φ, noise ξ, gradients, Adam moments) is one Float32Array over all
 * synapses, layer by layer: layer l's weights (row-major, `[inputs][outputs]`, so h = x·W), then
 * layer l's biases. Biases are stochastic synapses too (Methods).
 */
import type { NetworkSpec } from "./spec.js";

export interface LayerSlots {
  readonly inputs: number;
  readonly outputs: number;
  /** Offset of the first weight; weight (i, o) is at `weightOffset + i * outputs + o`. */
  readonly weightOffset: number;
  /** Offset of the first bias; bias o is at `biasOffset + o`. */
  readonly biasOffset: number;
}

export interface ParameterLayout {
  readonly layers: readonly LayerSlots[];
  /** Number of synapses (weights and biases) in the network. */
  readonly synapses: number;
  /** Length of the φ buffer: `synapses` (heterogeneous) or 1 (homogeneous: one shared σ). */
  readonly phiLength: number;
}

export function parameterLayout(network: Pick<NetworkSpec, "layers" | "noise">): ParameterLayout {
  const layers: LayerSlots[] = [];
  let offset = 0;
  for (let l = 0; l + 1 < network.layers.length; l++) {
    const inputs = network.layers[l];
    const outputs = network.layers[l + 1];
    layers.push({ inputs, outputs, weightOffset: offset, biasOffset: offset + inputs * outputs });
    offset += inputs * outputs + outputs;
  }
  return { layers, synapses: offset, phiLength: network.noise === "homogeneous" ? 1 : offset };
}
