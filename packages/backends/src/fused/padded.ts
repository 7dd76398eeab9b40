/**
 * The kernels' internal parameter layout: like core's flat layout (per layer the weight rows, then
 * the biases) but each row padded to a multiple of 4 floats so every row is whole SIMD vectors.
 * A layer is then one `(inputs + 1) × outP` block. Conversions to and from core's layout live here.
 */
import type { ParameterLayout } from "@vesicle/core";

export interface PaddedLayer {
  readonly inputs: number;
  readonly outputs: number;
  /** outputs rounded up to a multiple of 4. */
  readonly outP: number;
  /** Element offset of the block (weights; biases at offset + inputs·outP). */
  readonly offset: number;
}

export interface PaddedLayout {
  readonly layers: readonly PaddedLayer[];
  /** Total padded length of a per-synapse buffer. */
  readonly length: number;
}

export function paddedLayout(layout: ParameterLayout): PaddedLayout {
  let offset = 0;
  const layers = layout.layers.map((l) => {
    const outP = Math.ceil(l.outputs / 4) * 4;
    const p = { inputs: l.inputs, outputs: l.outputs, outP, offset };
    offset += (l.inputs + 1) * outP;
    return p;
  });
  return { layers, length: offset };
}

/** Copies a core-layout buffer into a padded one (padding left as is). */
export function toPadded(src: ArrayLike<number>, layout: ParameterLayout, padded: PaddedLayout, dst: Float32Array): void {
  layout.layers.forEach((l, k) => {
    const p = padded.layers[k];
    for (let r = 0; r <= l.inputs; r++) {
      const from = r < l.inputs ? l.weightOffset + r * l.outputs : l.biasOffset;
      const to = p.offset + r * p.outP;
      for (let o = 0; o < l.outputs; o++) dst[to + o] = src[from + o];
    }
  });
}

/** Copies a padded buffer back into core's layout. */
export function fromPadded(src: Float32Array, layout: ParameterLayout, padded: PaddedLayout, dst: Float32Array): Float32Array {
  layout.layers.forEach((l, k) => {
    const p = padded.layers[k];
    for (let r = 0; r <= l.inputs; r++) {
      const to = r < l.inputs ? l.weightOffset + r * l.outputs : l.biasOffset;
      dst.set(src.subarray(p.offset + r * p.outP, p.offset + r * p.outP + l.outputs), to);
    }
  });
  return dst;
}
