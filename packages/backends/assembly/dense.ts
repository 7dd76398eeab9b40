/**
 * The dense layers of a batch, h = x·W + b, on padded weight rows (each layer's output width is
 * rounded up to a multiple of 4 so rows are whole v128s; the padding weights are kept at 0).
 *
 * A layer's nonzero inputs are first gathered, by example (CSR) and by input (CSC), so zero
 * inputs cost nothing: raw MNIST pixels are ~80% zero and ReLU outputs about half. The forward
 * pass walks each example's list (CSR); dW = xᵀ·δ and δ_prev = δ·Wᵀ walk each input's (CSC).
 */

/**
 * Gathers nonzero raw pixels (u8, `rows × inputs`) scaled by `scale`, by example (CSR: rowPtr,
 * colIdx, rowVals) and by input (CSC: colPtr, rowIdx, vals). With inputs x = pixel·scale + shift,
 * the shift part is added separately as shift·(column sums of W). Returns the number of entries.
 *
 * The CSR lists are written without branching on the data (every pixel is written, the position
 * advances only past nonzeros: zero/nonzero is unpredictable, a mispredicted branch costs more
 * than the store), then the CSC lists are filled from them.
 */
export function gatherPixels(pix: usize, rows: i32, inputs: i32, scale: f32, rowPtr: usize, colIdx: usize, rowVals: usize, colPtr: usize, rowIdx: usize, vals: usize): i32 {
  let pos = 0;
  for (let b = 0; b < rows; b++) {
    store<i32>(rowPtr + (<usize>b << 2), pos);
    const row = pix + <usize>b * inputs;
    for (let i = 0; i < inputs; i += 16) {
      const end = min(i + 16, inputs);
      // all-zero blocks of 16 pixels (MNIST's borders) in one vector test
      if (end - i == 16 && !v128.any_true(v128.load(row + i))) continue;
      for (let k = i; k < end; k++) {
        const p = load<u8>(row + k);
        store<i32>(colIdx + (<usize>pos << 2), k);
        store<f32>(rowVals + (<usize>pos << 2), <f32>p * scale);
        pos += i32(p != 0);
      }
    }
  }
  store<i32>(rowPtr + (<usize>rows << 2), pos);
  transpose(rows, inputs, rowPtr, colIdx, rowVals, colPtr, rowIdx, vals);
  return pos;
}

/**
 * Gathers float inputs (`rows × inputs`, row stride `stride`) as {@link gatherPixels} does,
 * relative to a background value: the entries stored are x − base, and when `skip` those equal
 * to base are left out (base 0 is exact for ReLU layers, whose zero outputs pass no gradient
 * back; for normalised images base is the blank pixels' value, and the forward pass adds
 * base·(column sums of W)).
 */
export function gatherFloats(x: usize, rows: i32, inputs: i32, stride: i32, skip: bool, base: f32, rowPtr: usize, colIdx: usize, rowVals: usize, colPtr: usize, rowIdx: usize, vals: usize): i32 {
  let pos = 0;
  for (let b = 0; b < rows; b++) {
    store<i32>(rowPtr + (<usize>b << 2), pos);
    const row = x + ((<usize>b * stride) << 2);
    for (let i = 0; i < inputs; i++) {
      const v = load<f32>(row + (<usize>i << 2));
      store<i32>(colIdx + (<usize>pos << 2), i);
      store<f32>(rowVals + (<usize>pos << 2), v - base);
      pos += i32(!skip || v != base);
    }
  }
  store<i32>(rowPtr + (<usize>rows << 2), pos);
  transpose(rows, inputs, rowPtr, colIdx, rowVals, colPtr, rowIdx, vals);
  return pos;
}

/** The smallest of n floats (n ≥ 1): the background of normalised image inputs. */
export function minOf(x: usize, n: i32): f32 {
  let m = f32x4.splat(Infinity);
  let i = 0;
  for (; i + 4 <= n; i += 4) m = f32x4.pmin(v128.load(x + (<usize>i << 2)), m);
  let out = min(min(f32x4.extract_lane(m, 0), f32x4.extract_lane(m, 1)), min(f32x4.extract_lane(m, 2), f32x4.extract_lane(m, 3)));
  for (; i < n; i++) out = min(out, load<f32>(x + (<usize>i << 2)));
  return out;
}

/** out[o] = Σ over `rows` rows of w[r, o] (row width outP floats). */
export function columnSums(w: usize, rows: i32, outP: i32, out: usize): void {
  const rowBytes = <usize>outP << 2;
  memory.fill(out, 0, rowBytes);
  for (let r = 0; r < rows; r++) {
    const wr = w + <usize>r * rowBytes;
    for (let o: usize = 0; o < rowBytes; o += 16) v128.store(out + o, f32x4.add(v128.load(out + o), v128.load(wr + o)));
  }
}

/** Fills the CSC lists from the CSR ones (entries of each input in example order). */
function transpose(rows: i32, inputs: i32, rowPtr: usize, colIdx: usize, rowVals: usize, colPtr: usize, rowIdx: usize, vals: usize): void {
  const total = load<i32>(rowPtr + (<usize>rows << 2));
  memory.fill(colPtr, 0, (<usize>(inputs + 1)) << 2);
  // counts in colPtr[i + 1], then each input's start in colPtr[i]
  for (let e = 0; e < total; e++) {
    const at = colPtr + ((<usize>load<i32>(colIdx + (<usize>e << 2)) + 1) << 2);
    store<i32>(at, load<i32>(at) + 1);
  }
  let run = 0;
  for (let i = 0; i < inputs; i++) {
    const c = load<i32>(colPtr + ((<usize>i + 1) << 2));
    store<i32>(colPtr + (<usize>i << 2), run);
    run += c;
  }
  for (let b = 0; b < rows; b++) {
    const end = load<i32>(rowPtr + ((<usize>b + 1) << 2));
    for (let e = load<i32>(rowPtr + (<usize>b << 2)); e < end; e++) {
      const at = colPtr + (<usize>load<i32>(colIdx + (<usize>e << 2)) << 2);
      const slot = <usize>load<i32>(at);
      store<i32>(at, <i32>slot + 1);
      store<i32>(rowIdx + (slot << 2), b);
      store<f32>(vals + (slot << 2), load<f32>(rowVals + (<usize>e << 2)));
    }
  }
  // colPtr[i] now holds input i's end = input i+1's start: shift back.
  for (let i = inputs; i > 0; i--) store<i32>(colPtr + (<usize>i << 2), load<i32>(colPtr + ((<usize>i - 1) << 2)));
  store<i32>(colPtr, 0);
}

/**
 * h[b, :] = bias + shift·colSum + Σ_i x[b, i]·W[i, :] over example b's gathered entries (CSR),
 * then ReLU when `relu`. `colSum` may be 0 (no affine shift). W is `inputs × outP`, h is `rows × outP`.
 */
export function forwardLayer(
  rowPtr: usize, colIdx: usize, rowVals: usize, rows: i32,
  w: usize, bias: usize, outP: i32, colSum: usize, shift: f32, h: usize, relu: bool,
): void {
  const rowBytes = <usize>outP << 2;
  const sh = f32x4.splat(colSum != 0 ? shift : 0);
  const cs = colSum != 0 ? colSum : bias; // read, times 0, when there is no shift
  for (let b = 0; b < rows; b++) {
    const start = load<i32>(rowPtr + (<usize>b << 2));
    const end = load<i32>(rowPtr + ((<usize>b + 1) << 2));
    sparseRowSum(h + <usize>b * rowBytes, rowBytes, true, bias, sh, cs, start, end, colIdx, rowVals, w, relu);
  }
}

/**
 * dW[i, :] = shift·Σ_b δ[b, :] + Σ_b x[b, i]·δ[b, :] (the first term only when `withShift`),
 * db = Σ_b δ[b, :]. Writes every row of gW (no zeroing pass needed); each row is summed over
 * input i's gathered entries (CSC).
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
    sparseRowSum(gW + <usize>i * rowBytes, rowBytes, false, 0, sh, gBias, start, end, rowIdx, vals, delta, false);
  }
}

/**
 * out = base + sh·scaled + Σ_e vals[e]·matrix[idx[e], :] over the entries [start, end) of a
 * gathered list (base only when `withBase`), then ReLU when `relu`: one row of a forward pass
 * (CSR over W's rows) or of dW (CSC over δ's rows). Summed in registers, 8 vectors (32 outputs)
 * at a time, so each entry costs a load, a multiply and an add per vector.
 */
@inline function sparseRowSum(
  out: usize, rowBytes: usize, withBase: bool, base: usize, sh: v128, scaled: usize,
  start: i32, end: i32, idx: usize, vals: usize, matrix: usize, relu: bool,
): void {
  const zero = f32x4.splat(0);
  let o: usize = 0;
  for (; o + 128 <= rowBytes; o += 128) {
    let a0 = f32x4.mul(sh, v128.load(scaled + o));
    let a1 = f32x4.mul(sh, v128.load(scaled + o, 16));
    let a2 = f32x4.mul(sh, v128.load(scaled + o, 32));
    let a3 = f32x4.mul(sh, v128.load(scaled + o, 48));
    let a4 = f32x4.mul(sh, v128.load(scaled + o, 64));
    let a5 = f32x4.mul(sh, v128.load(scaled + o, 80));
    let a6 = f32x4.mul(sh, v128.load(scaled + o, 96));
    let a7 = f32x4.mul(sh, v128.load(scaled + o, 112));
    if (withBase) {
      a0 = f32x4.add(a0, v128.load(base + o)); a1 = f32x4.add(a1, v128.load(base + o, 16));
      a2 = f32x4.add(a2, v128.load(base + o, 32)); a3 = f32x4.add(a3, v128.load(base + o, 48));
      a4 = f32x4.add(a4, v128.load(base + o, 64)); a5 = f32x4.add(a5, v128.load(base + o, 80));
      a6 = f32x4.add(a6, v128.load(base + o, 96)); a7 = f32x4.add(a7, v128.load(base + o, 112));
    }
    for (let e = start; e < end; e++) {
      const x = v128.load32_splat(vals + (<usize>e << 2));
      const mr = matrix + <usize>load<i32>(idx + (<usize>e << 2)) * rowBytes + o;
      a0 = f32x4.add(a0, f32x4.mul(x, v128.load(mr)));
      a1 = f32x4.add(a1, f32x4.mul(x, v128.load(mr, 16)));
      a2 = f32x4.add(a2, f32x4.mul(x, v128.load(mr, 32)));
      a3 = f32x4.add(a3, f32x4.mul(x, v128.load(mr, 48)));
      a4 = f32x4.add(a4, f32x4.mul(x, v128.load(mr, 64)));
      a5 = f32x4.add(a5, f32x4.mul(x, v128.load(mr, 80)));
      a6 = f32x4.add(a6, f32x4.mul(x, v128.load(mr, 96)));
      a7 = f32x4.add(a7, f32x4.mul(x, v128.load(mr, 112)));
    }
    if (relu) {
      a0 = f32x4.max(a0, zero); a1 = f32x4.max(a1, zero); a2 = f32x4.max(a2, zero); a3 = f32x4.max(a3, zero);
      a4 = f32x4.max(a4, zero); a5 = f32x4.max(a5, zero); a6 = f32x4.max(a6, zero); a7 = f32x4.max(a7, zero);
    }
    v128.store(out + o, a0); v128.store(out + o, a1, 16); v128.store(out + o, a2, 32); v128.store(out + o, a3, 48);
    v128.store(out + o, a4, 64); v128.store(out + o, a5, 80); v128.store(out + o, a6, 96); v128.store(out + o, a7, 112);
  }
  for (; o < rowBytes; o += 16) {
    let a = f32x4.mul(sh, v128.load(scaled + o));
    if (withBase) a = f32x4.add(a, v128.load(base + o));
    for (let e = start; e < end; e++)
      a = f32x4.add(a, f32x4.mul(v128.load32_splat(vals + (<usize>e << 2)), v128.load(matrix + <usize>load<i32>(idx + (<usize>e << 2)) * rowBytes + o)));
    v128.store(out + o, relu ? f32x4.max(a, zero) : a);
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
