/**
 * The dense layers of a batch, h = x·W + b, on padded weight rows (each layer's output width is
 * rounded up to a multiple of 4 so rows are whole v128s; the padding weights are kept at 0).
 *
 * A layer's input is first gathered column by column (CSC: for input i, which batch rows have a
 * nonzero x[b, i]) so zero inputs cost nothing: raw MNIST pixels are ~80% zero and ReLU outputs
 * about half. The same lists serve the forward pass, dW = xᵀ·δ and δ_prev = δ·Wᵀ.
 */

/**
 * Gathers nonzero raw pixels (u8, `rows × inputs`) scaled by `scale`. With inputs
 * x = pixel·scale + shift, the shift part is added separately as shift·(column sums of W).
 * Returns the number of entries.
 */
export function gatherPixels(pix: usize, rows: i32, inputs: i32, scale: f32, colPtr: usize, rowIdx: usize, vals: usize): i32 {
  memory.fill(colPtr, 0, (<usize>(inputs + 1)) << 2);
  // Count per column, skipping all-zero 16-pixel blocks with one vector test.
  for (let b = 0; b < rows; b++) {
    const row = pix + <usize>b * inputs;
    let i = 0;
    for (; i + 16 <= inputs; i += 16) {
      if (!v128.any_true(v128.load(row + i))) continue;
      for (let k = i; k < i + 16; k++) if (load<u8>(row + k) != 0) store<i32>(colPtr + ((<usize>k + 1) << 2), load<i32>(colPtr + ((<usize>k + 1) << 2)) + 1);
    }
    for (; i < inputs; i++) if (load<u8>(row + i) != 0) store<i32>(colPtr + ((<usize>i + 1) << 2), load<i32>(colPtr + ((<usize>i + 1) << 2)) + 1);
  }
  prefix(colPtr, inputs);
  for (let b = 0; b < rows; b++) {
    const row = pix + <usize>b * inputs;
    let i = 0;
    for (; i < inputs; i += 16) {
      const end = min(i + 16, inputs);
      if (end - i == 16 && !v128.any_true(v128.load(row + i))) continue;
      for (let k = i; k < end; k++) {
        const p = load<u8>(row + k);
        if (p == 0) continue;
        const slot = <usize>load<i32>(colPtr + (<usize>k << 2));
        store<i32>(colPtr + (<usize>k << 2), <i32>slot + 1);
        store<i32>(rowIdx + (slot << 2), b);
        store<f32>(vals + (slot << 2), <f32>p * scale);
      }
    }
  }
  return unshift(colPtr, inputs);
}

/**
 * Gathers float inputs (`rows × inputs`, row stride `stride`); zeros are skipped only when
 * `skipZeros` (exact for ReLU layers, whose zero outputs pass no gradient back).
 */
export function gatherFloats(x: usize, rows: i32, inputs: i32, stride: i32, skipZeros: bool, colPtr: usize, rowIdx: usize, vals: usize): i32 {
  memory.fill(colPtr, 0, (<usize>(inputs + 1)) << 2);
  for (let b = 0; b < rows; b++) {
    const row = x + ((<usize>b * stride) << 2);
    for (let i = 0; i < inputs; i++)
      if (!skipZeros || load<f32>(row + (<usize>i << 2)) != 0) store<i32>(colPtr + ((<usize>i + 1) << 2), load<i32>(colPtr + ((<usize>i + 1) << 2)) + 1);
  }
  prefix(colPtr, inputs);
  for (let b = 0; b < rows; b++) {
    const row = x + ((<usize>b * stride) << 2);
    for (let i = 0; i < inputs; i++) {
      const v = load<f32>(row + (<usize>i << 2));
      if (skipZeros && v == 0) continue;
      const slot = <usize>load<i32>(colPtr + (<usize>i << 2));
      store<i32>(colPtr + (<usize>i << 2), <i32>slot + 1);
      store<i32>(rowIdx + (slot << 2), b);
      store<f32>(vals + (slot << 2), v);
    }
  }
  return unshift(colPtr, inputs);
}

// colPtr[k+1] holds counts; turn colPtr[k] into each column's start.
@inline function prefix(colPtr: usize, inputs: i32): void {
  let run = 0;
  for (let k = 0; k < inputs; k++) {
    const c = load<i32>(colPtr + ((<usize>k + 1) << 2));
    store<i32>(colPtr + (<usize>k << 2), run);
    run += c;
  }
  store<i32>(colPtr + (<usize>inputs << 2), run);
}

// After filling, colPtr[k] points at column k's end = column k+1's start; shift back.
@inline function unshift(colPtr: usize, inputs: i32): i32 {
  const total = load<i32>(colPtr + (<usize>inputs << 2));
  for (let k = inputs; k > 0; k--) store<i32>(colPtr + (<usize>k << 2), load<i32>(colPtr + ((<usize>k - 1) << 2)));
  store<i32>(colPtr, 0);
  return total;
}

/**
 * h[b, :] = bias + shift·colSum + Σ_i x[b, i]·W[i, :] over the gathered entries, then ReLU when
 * `relu`. `colSum` may be 0 (no affine shift). W is `inputs × outP`, h is `rows × outP`.
 */
export function forwardLayer(
  colPtr: usize, rowIdx: usize, vals: usize, inputs: i32, rows: i32,
  w: usize, bias: usize, outP: i32, colSum: usize, shift: f32, h: usize, relu: bool,
): void {
  const rowBytes = <usize>outP << 2;
  const sh = f32x4.splat(shift);
  for (let b = 0; b < rows; b++) {
    const hr = h + <usize>b * rowBytes;
    for (let o: usize = 0; o < rowBytes; o += 16) {
      let v = v128.load(bias + o);
      if (colSum != 0) v = f32x4.add(v, f32x4.mul(sh, v128.load(colSum + o)));
      v128.store(hr + o, v);
    }
  }
  for (let i = 0; i < inputs; i++) {
    const start = load<i32>(colPtr + (<usize>i << 2));
    const end = load<i32>(colPtr + ((<usize>i + 1) << 2));
    const wr = w + <usize>i * rowBytes;
    for (let e = start; e < end; e++) {
      const xv = v128.load32_splat(vals + (<usize>e << 2));
      const hr = h + <usize>load<i32>(rowIdx + (<usize>e << 2)) * rowBytes;
      for (let o: usize = 0; o < rowBytes; o += 16) v128.store(hr + o, f32x4.add(v128.load(hr + o), f32x4.mul(xv, v128.load(wr + o))));
    }
  }
  if (relu) {
    const z = f32x4.splat(0);
    const n = <usize>rows * rowBytes;
    for (let o: usize = 0; o < n; o += 16) v128.store(h + o, f32x4.max(v128.load(h + o), z));
  }
}

/**
 * dW[i, :] = shift·Σ_b δ[b, :] + Σ_b x[b, i]·δ[b, :] (the first term only when `withShift`),
 * db = Σ_b δ[b, :]. Writes every row of gW (no zeroing pass needed).
 */
export function backwardWeights(
  colPtr: usize, rowIdx: usize, vals: usize, inputs: i32, rows: i32,
  delta: usize, outP: i32, shift: f32, withShift: bool, gW: usize, gBias: usize,
): void {
  const rowBytes = <usize>outP << 2;
  memory.fill(gBias, 0, rowBytes);
  for (let b = 0; b < rows; b++) {
    const dr = delta + <usize>b * rowBytes;
    for (let o: usize = 0; o < rowBytes; o += 16) v128.store(gBias + o, f32x4.add(v128.load(gBias + o), v128.load(dr + o)));
  }
  const sh = f32x4.splat(withShift ? shift : 0);
  for (let i = 0; i < inputs; i++) {
    const start = load<i32>(colPtr + (<usize>i << 2));
    const end = load<i32>(colPtr + ((<usize>i + 1) << 2));
    const gr = gW + <usize>i * rowBytes;
    for (let o: usize = 0; o < rowBytes; o += 16) v128.store(gr + o, f32x4.mul(sh, v128.load(gBias + o)));
    for (let e = start; e < end; e++) {
      const xv = v128.load32_splat(vals + (<usize>e << 2));
      const dr = delta + <usize>load<i32>(rowIdx + (<usize>e << 2)) * rowBytes;
      for (let o: usize = 0; o < rowBytes; o += 16) v128.store(gr + o, f32x4.add(v128.load(gr + o), f32x4.mul(xv, v128.load(dr + o))));
    }
  }
}

/**
 * δ_prev[b, i] = Σ_o δ[b, o]·W[i, o] at the gathered entries, 0 elsewhere (for ReLU inputs the
 * gathered entries are exactly where the derivative is 1). δ_prev has row stride `prevStride`.
 */
export function backwardInputs(
  colPtr: usize, rowIdx: usize, inputs: i32, rows: i32,
  w: usize, delta: usize, outP: i32, prev: usize, prevStride: i32,
): void {
  const rowBytes = <usize>outP << 2;
  memory.fill(prev, 0, (<usize>rows * prevStride) << 2);
  for (let i = 0; i < inputs; i++) {
    const start = load<i32>(colPtr + (<usize>i << 2));
    const end = load<i32>(colPtr + ((<usize>i + 1) << 2));
    const wr = w + <usize>i * rowBytes;
    for (let e = start; e < end; e++) {
      const b = load<i32>(rowIdx + (<usize>e << 2));
      const dr = delta + <usize>b * rowBytes;
      let acc = f32x4.splat(0);
      for (let o: usize = 0; o < rowBytes; o += 16) acc = f32x4.add(acc, f32x4.mul(v128.load(dr + o), v128.load(wr + o)));
      const s = f32x4.extract_lane(acc, 0) + f32x4.extract_lane(acc, 1) + f32x4.extract_lane(acc, 2) + f32x4.extract_lane(acc, 3);
      store<f32>(prev + ((<usize>b * prevStride + i) << 2), s);
    }
  }
}

/**
 * Softmax cross-entropy: returns Σ_b NLL_b and writes δ = softmax − onehot (0 in padding).
 * Computed in f64: the output layer is tiny.
 */
export function categoricalLoss(logits: usize, labels: usize, rows: i32, outputs: i32, outP: i32, delta: usize): f64 {
  let nll: f64 = 0;
  memory.fill(delta, 0, (<usize>rows * outP) << 2);
  for (let b = 0; b < rows; b++) {
    const lr = logits + ((<usize>b * outP) << 2);
    const dr = delta + ((<usize>b * outP) << 2);
    let mx: f64 = -Infinity;
    for (let o = 0; o < outputs; o++) mx = max(mx, <f64>load<f32>(lr + (<usize>o << 2)));
    let z: f64 = 0;
    for (let o = 0; o < outputs; o++) z += Math.exp(<f64>load<f32>(lr + (<usize>o << 2)) - mx);
    const y = load<i32>(labels + (<usize>b << 2));
    nll += Math.log(z) + mx - <f64>load<f32>(lr + (<usize>y << 2));
    for (let o = 0; o < outputs; o++) {
      const p = Math.exp(<f64>load<f32>(lr + (<usize>o << 2)) - mx) / z;
      store<f32>(dr + (<usize>o << 2), <f32>(o == y ? p - 1 : p));
    }
  }
  return nll;
}

/** Gaussian likelihood with noise std ε: Σ_b Σ_o (y − ŷ)²/(2ε²), δ = (ŷ − y)/ε². Targets are `rows × outputs`. */
export function gaussianLoss(out: usize, targets: usize, rows: i32, outputs: i32, outP: i32, noiseStd: f64, delta: usize): f64 {
  let nll: f64 = 0;
  const inv = 1 / (noiseStd * noiseStd);
  memory.fill(delta, 0, (<usize>rows * outP) << 2);
  for (let b = 0; b < rows; b++) {
    for (let o = 0; o < outputs; o++) {
      const d = <f64>load<f32>(out + ((<usize>b * outP + o) << 2)) - <f64>load<f32>(targets + ((<usize>b * outputs + o) << 2));
      nll += 0.5 * d * d * inv;
      store<f32>(delta + ((<usize>b * outP + o) << 2), <f32>(d * inv));
    }
  }
  return nll;
}
