/**
 * One network training on the fused kernels. A step is: forward and backward through the padded
 * dense layers (zero inputs skipped) with weights w = μ + σξ drawn for this minibatch, then one
 * fused pass over the parameters: the φ chain rule, Adam, and the draw of the next minibatch's
 * weights at the new parameters (with the cost gradients the next update will need). The draw is
 * kept between steps and thrown away whenever the parameters or the noise seed are set.
 */
import {
  VesicleError,
  check,
  checkParameters,
  costScale,
  initialParameters,
  mixSeed,
  parameterLayout,
  sigmoid,
  softplus,
  type AdamState,
  type Batch,
  type GradientResult,
  type NetworkParameters,
  type ParameterLayout,
  type SessionOptions,
  type StepResult,
  type TrainingSession,
  type WeightChoice,
} from "@vesicle/core";
import { Arena } from "./arena.js";
import { instantiateKernels, type Kernels } from "./kernels.js";
import { splitObjective, type SplitObjective } from "./objective.js";
import { fromPadded, paddedLayout, toPadded, type PaddedLayout } from "./padded.js";

/** How the first layer's inputs reach the forward pass (see `forwardRows`). */
type FirstLayerInput =
  | { kind: "pixels"; scale: number; shift: number }
  | { kind: "floats"; background: number; colSum: number };

/** Float inputs taken as they are (no background to skip but zeros). */
const PLAIN_FLOATS: FirstLayerInput = { kind: "floats", background: 0, colSum: 0 };

/** Rows per kernel call when `forward` evaluates many inputs (bounds scratch memory). */
const FORWARD_CHUNK = 256;

/**
 * Kernel buffers (byte offsets). Per synapse: μ, φ, the drawn weights w, dL/dw (g), the noise
 * sensitivity a = ξ·dσ/dφ (ξ itself when σ is shared), the cost gradient c = Σ cost'(σ)·dσ/dφ,
 * Adam's moments, and the generic-path derivatives (d/dφ and d/dμ, filled in JS).
 */
interface ParamBuffers {
  mu: number; phi: number; w: number; g: number; a: number; c: number;
  mMu: number; vMu: number; mPhi: number; vPhi: number;
  extraPhi: number; extraMu: number; powers: number; seed: number;
  /** Column sums of the first layer's drawn weights (training), and of the weights `forward` uses. */
  colSum: number; evalColSum: number;
}

/** Cost sums at the parameters of the current draw. */
interface DrawnCosts {
  reliability: number;
  magnitude: number;
}

/** Bytes per power term in the kernel's table: ρ (f32), c (f32), n (i32). */
const POWER_BYTES = 12;

/** n = 2ρ when it is a whole number from 1 to 8 (the kernel then needs no log or exp for σ^-ρ), else 0. */
function halfIntegerOrder(rho: number): number {
  const n = 2 * rho;
  return Number.isInteger(n) && n >= 1 && n <= 8 ? n : 0;
}

interface LayerScratch {
  act: number; delta: number;
  /** The layer's nonzero inputs by example (CSR) and by input (CSC); see dense.ts. */
  rowPtr: number; colIdx: number; rowVals: number; colPtr: number; rowIdx: number; vals: number;
}

interface BatchBuffers {
  capacity: number; pixels: number; inputs: number; labels: number; targets: number; layers: LayerScratch[];
}

export class FusedSession implements TrainingSession {
  readonly layout: ParameterLayout;
  private readonly padded: PaddedLayout;
  private readonly k: Kernels;
  private readonly arena: Arena;
  private readonly p: ParamBuffers;
  private readonly paramsEnd: number;
  private batchBufs: BatchBuffers | undefined;
  private readonly homogeneous: boolean;
  private readonly costs: SplitObjective;
  private readonly relu: boolean;
  /** Homogeneous mode: the shared φ and its Adam moments live here, not in the kernel. */
  private sharedPhi = new Float32Array(1);
  private sharedM = new Float32Array(1);
  private sharedV = new Float32Array(1);
  private adamStep = 0;
  /** The weights in w (and a, c) were drawn at the current parameters for the next step. */
  private drawn: DrawnCosts | undefined;
  private disposed = false;

  constructor(private readonly options: SessionOptions) {
    const { network } = options;
    this.layout = parameterLayout(network);
    this.padded = paddedLayout(this.layout);
    this.homogeneous = network.noise === "homogeneous";
    this.relu = network.activation === "relu";
    this.costs = splitObjective(options.objective);
    this.k = instantiateKernels();
    this.arena = new Arena(this.k, this.k.heapBase());
    const P = this.padded.length * 4;
    const phiBytes = this.homogeneous ? 16 : P;
    const a = (bytes: number) => this.arena.alloc(bytes);
    this.p = {
      mu: a(P), phi: a(phiBytes), w: a(P), g: a(P), a: a(P), c: a(phiBytes),
      mMu: a(P), vMu: a(P), mPhi: a(phiBytes), vPhi: a(phiBytes),
      extraPhi: this.costs.customSigma.length > 0 && !this.homogeneous ? a(P) : 0,
      extraMu: this.costs.customMu.length > 0 ? a(P) : 0,
      powers: a(POWER_BYTES * Math.max(1, this.costs.powers.length)),
      seed: a(64),
      colSum: a(this.padded.layers[0].outP * 4),
      evalColSum: a(this.padded.layers[0].outP * 4),
    };
    this.paramsEnd = this.arena.mark();
    this.k.setBuffers(this.p.mu, this.p.phi, this.p.w, this.p.g, this.p.a, this.p.c, this.p.mMu, this.p.vMu, this.p.mPhi, this.p.vPhi,
      this.p.extraPhi, this.p.extraMu, this.p.powers);
    const table = new DataView(this.k.memory.buffer, this.p.powers, POWER_BYTES * this.costs.powers.length);
    this.costs.powers.forEach((t, i) => {
      table.setFloat32(POWER_BYTES * i, t.rho, true);
      table.setFloat32(POWER_BYTES * i + 4, t.c, true);
      table.setInt32(POWER_BYTES * i + 8, halfIntegerOrder(t.rho), true);
    });
    this.k.setObjective(this.homogeneous, this.homogeneous ? 0 : this.costs.powers.length, this.costs.lambda, 0);
    this.setParameters(initialParameters(network, options.seed));
    this.reseedNoise(options.seed);
  }

  // ---- views into kernel memory (recreated when memory grows) ----
  private f32(at: number, n: number): Float32Array {
    return new Float32Array(this.k.memory.buffer, at, n);
  }

  private ensureCapacity(rows: number): BatchBuffers {
    if (this.batchBufs && this.batchBufs.capacity >= rows) return this.batchBufs;
    const C = Math.max(rows, this.batchBufs?.capacity ?? 0);
    this.arena.reset(this.paramsEnd);
    const a = (bytes: number) => this.arena.alloc(bytes);
    const first = this.padded.layers[0];
    const last = this.padded.layers[this.padded.layers.length - 1];
    const bufs: BatchBuffers = {
      capacity: C,
      pixels: a(C * first.inputs),
      inputs: a(C * first.inputs * 4),
      labels: a(C * 4),
      targets: a(C * last.outputs * 4),
      layers: this.padded.layers.map((l) => ({
        act: a(C * l.outP * 4),
        delta: a(C * l.outP * 4),
        rowPtr: a((C + 1) * 4),
        // the CSR writer stores one entry past the last nonzero
        colIdx: a((C * l.inputs + 1) * 4),
        rowVals: a((C * l.inputs + 1) * 4),
        colPtr: a((l.inputs + 1) * 4),
        rowIdx: a(C * l.inputs * 4),
        vals: a(C * l.inputs * 4),
      })),
    };
    this.batchBufs = bufs;
    return bufs;
  }

  // ---- parameters and optimiser state ----
  getParameters(): NetworkParameters {
    const n = this.padded.length;
    const mu = fromPadded(this.f32(this.p.mu, n), this.layout, this.padded, new Float32Array(this.layout.synapses));
    const phi = this.homogeneous ? this.sharedPhi.slice() : fromPadded(this.f32(this.p.phi, n), this.layout, this.padded, new Float32Array(this.layout.synapses));
    return { mu, phi };
  }

  setParameters(params: NetworkParameters): void {
    checkParameters(params, this.layout);
    const n = this.padded.length;
    const mu = this.f32(this.p.mu, n);
    mu.fill(0);
    toPadded(params.mu, this.layout, this.padded, mu);
    if (this.homogeneous) this.sharedPhi[0] = params.phi[0];
    else {
      const phi = this.f32(this.p.phi, n);
      phi.fill(0);
      toPadded(params.phi, this.layout, this.padded, phi);
    }
    this.drawn = undefined;
  }

  getOptimiserState(): AdamState {
    const n = this.padded.length;
    const out = (at: number) => fromPadded(this.f32(at, n), this.layout, this.padded, new Float32Array(this.layout.synapses));
    return {
      step: this.adamStep,
      mMu: out(this.p.mMu),
      vMu: out(this.p.vMu),
      mPhi: this.homogeneous ? this.sharedM.slice() : out(this.p.mPhi),
      vPhi: this.homogeneous ? this.sharedV.slice() : out(this.p.vPhi),
    };
  }

  setOptimiserState(state: AdamState): void {
    const { synapses, phiLength } = this.layout;
    check(state.mMu.length === synapses && state.vMu.length === synapses, `optimiser state: expected ${synapses} μ moments`, "bad-parameters");
    check(state.mPhi.length === phiLength && state.vPhi.length === phiLength, `optimiser state: expected ${phiLength} φ moments`, "bad-parameters");
    const n = this.padded.length;
    const put = (src: Float32Array, at: number) => {
      const dst = this.f32(at, n);
      dst.fill(0);
      toPadded(src, this.layout, this.padded, dst);
    };
    put(state.mMu, this.p.mMu);
    put(state.vMu, this.p.vMu);
    if (this.homogeneous) {
      this.sharedM[0] = state.mPhi[0];
      this.sharedV[0] = state.vPhi[0];
    } else {
      put(state.mPhi, this.p.mPhi);
      put(state.vPhi, this.p.vPhi);
    }
    this.adamStep = state.step;
  }

  reseedNoise(seed: number): void {
    const words = new Uint32Array(this.k.memory.buffer, this.p.seed, 16);
    for (let i = 0; i < 16; i++) words[i] = mixSeed(seed, 0x5eed0 + i);
    for (let lane = 0; lane < 4; lane++)
      if ((words[lane] | words[4 + lane] | words[8 + lane] | words[12 + lane]) === 0) words[lane] = 1;
    this.k.seedNoise(this.p.seed);
    this.drawn = undefined;
  }

  /**
   * The noise ξ of the weights the next step will train on (drawn now if there are none): with
   * `gradients(batch, drawnNoise())` a step can be checked against its own gradients.
   */
  drawnNoise(): Float32Array {
    this.alive();
    this.drawn ??= this.draw(0);
    const n = this.padded.length;
    const xi = fromPadded(this.f32(this.p.a, n), this.layout, this.padded, new Float32Array(this.layout.synapses));
    if (!this.homogeneous) {
      // a = ξ·sigmoid(φ)
      const { phi } = this.getParameters();
      for (let i = 0; i < xi.length; i++) xi[i] /= sigmoid(phi[i]);
    }
    return xi;
  }

  // ---- the passes ----
  /** Draws w (and a, c) at the current parameters; mode 0: fresh noise, 1: ξ given in the a buffer. */
  private draw(mode: number): DrawnCosts {
    const k = this.k;
    if (this.homogeneous) k.setSharedSigma(softplus(this.sharedPhi[0]));
    k.resetSums();
    this.padded.layers.forEach((l, i) => k.sampleLayer(l.inputs + 1, l.outputs, l.outP, l.offset, mode, i === 0 ? this.p.colSum : 0, l.inputs));
    return { reliability: k.reliabilitySum(), magnitude: k.magnitudeSum() };
  }

  /**
   * Forward pass of `rows` examples already written to the batch buffers; returns the output
   * buffer. The first layer's inputs are raw pixels with an affine map (training batches), or
   * floats relative to a background value whose entries are skipped (`colSum` then holds the
   * column sums of the first layer's weights, for background·colsum(W)).
   */
  private forwardRows(bufs: BatchBuffers, rows: number, input: FirstLayerInput, weights = this.p.w): number {
    const k = this.k;
    const L = this.padded.layers;
    L.forEach((l, i) => {
      const s = bufs.layers[i];
      const hidden = i + 1 < L.length;
      let colSum = 0;
      let shift = 0;
      if (i > 0) {
        k.gatherFloats(bufs.layers[i - 1].act, rows, l.inputs, L[i - 1].outP, this.relu, 0, s.rowPtr, s.colIdx, s.rowVals, s.colPtr, s.rowIdx, s.vals);
      } else if (input.kind === "pixels") {
        k.gatherPixels(bufs.pixels, rows, l.inputs, input.scale, s.rowPtr, s.colIdx, s.rowVals, s.colPtr, s.rowIdx, s.vals);
        [colSum, shift] = [this.p.colSum, input.shift];
      } else {
        k.gatherFloats(bufs.inputs, rows, l.inputs, l.inputs, true, input.background, s.rowPtr, s.colIdx, s.rowVals, s.colPtr, s.rowIdx, s.vals);
        if (input.background !== 0) [colSum, shift] = [input.colSum, input.background];
      }
      const w = weights + l.offset * 4;
      k.forwardLayer(s.rowPtr, s.colIdx, s.rowVals, rows, w, w + l.inputs * l.outP * 4, l.outP, colSum, shift, s.act, hidden && this.relu);
    });
    return bufs.layers[L.length - 1].act;
  }

  private writeBatch(batch: Batch): { bufs: BatchBuffers; affine?: { scale: number; shift: number } } {
    check(batch.size >= 1, "a batch needs at least one example");
    const bufs = this.ensureCapacity(batch.size);
    const first = this.padded.layers[0];
    const last = this.padded.layers[this.padded.layers.length - 1];
    const mem = this.k.memory.buffer;
    const n = batch.size * first.inputs;
    let affine: { scale: number; shift: number } | undefined;
    if (batch.pixels && batch.affine) {
      new Uint8Array(mem, bufs.pixels, n).set(batch.pixels.subarray(0, n));
      affine = batch.affine;
    } else new Float32Array(mem, bufs.inputs, n).set(batch.inputs.subarray(0, n));
    if (this.options.network.likelihood.kind === "categorical") {
      check(batch.labels !== undefined, "the categorical likelihood needs batch labels");
      new Int32Array(mem, bufs.labels, batch.size).set(batch.labels.subarray(0, batch.size));
    } else {
      check(batch.targets !== undefined, "the Gaussian likelihood needs batch targets");
      new Float32Array(mem, bufs.targets, batch.size * last.outputs).set(batch.targets.subarray(0, batch.size * last.outputs));
    }
    return { bufs, affine };
  }

  /** Loss, δ at the output, backward pass into the g buffer (dL/dw); returns Σ NLL. */
  private lossAndBackward(bufs: BatchBuffers, rows: number, affine: { scale: number; shift: number } | undefined): number {
    const k = this.k;
    const L = this.padded.layers;
    const out = this.forwardRows(bufs, rows, affine ? { kind: "pixels", ...affine } : PLAIN_FLOATS);
    const last = L[L.length - 1];
    const top = bufs.layers[L.length - 1];
    const lik = this.options.network.likelihood;
    const nll = lik.kind === "categorical"
      ? k.categoricalLoss(out, bufs.labels, rows, last.outputs, last.outP, top.delta)
      : k.gaussianLoss(out, bufs.targets, rows, last.outputs, last.outP, lik.noiseStd, top.delta);
    for (let i = L.length - 1; i >= 0; i--) {
      const l = L[i];
      const s = bufs.layers[i];
      const gW = this.p.g + l.offset * 4;
      k.backwardWeights(s.colPtr, s.rowIdx, s.vals, l.inputs, rows, s.delta, l.outP, affine?.shift ?? 0, i === 0 && affine !== undefined, gW, gW + l.inputs * l.outP * 4);
      if (i > 0) k.backwardInputs(s.colPtr, s.rowIdx, l.inputs, rows, this.p.w + l.offset * 4, s.delta, l.outP, bufs.layers[i - 1].delta, L[i - 1].outP);
    }
    return nll;
  }

  /**
   * The generic cost path (terms without a closed form): fills the derivative buffers (d/dφ for σ
   * terms, d/dμ for μ terms) from the current parameters in JS and returns their summed values.
   * Slower than the kernel's built-ins.
   */
  private customCosts(): { sigma: number; mu: number } {
    const { customSigma, customMu } = this.costs;
    let sigmaCost = 0;
    let muCost = 0;
    if (this.homogeneous) {
      const s = softplus(this.sharedPhi[0]);
      for (const t of this.options.objective.reliability) sigmaCost += this.layout.synapses * t.value(s);
    }
    const n = this.padded.length;
    if (customSigma.length > 0 && !this.homogeneous) {
      const phi = this.f32(this.p.phi, n);
      const d = this.f32(this.p.extraPhi, n);
      d.fill(0);
      this.eachReal((k) => {
        const s = softplus(phi[k]);
        let dv = 0;
        for (const t of customSigma) {
          sigmaCost += t.value(s);
          dv += t.derivative(s);
        }
        d[k] = dv * sigmoid(phi[k]);
      });
    }
    if (customMu.length > 0) {
      const mu = this.f32(this.p.mu, n);
      const d = this.f32(this.p.extraMu, n);
      d.fill(0);
      this.eachReal((k) => {
        let dv = 0;
        for (const t of customMu) {
          muCost += t.value(mu[k]);
          dv += t.derivative(mu[k]);
        }
        d[k] = dv;
      });
    }
    return { sigma: sigmaCost, mu: muCost };
  }

  private eachReal(f: (k: number) => void): void {
    for (const l of this.padded.layers)
      for (let r = 0; r <= l.inputs; r++) for (let o = 0; o < l.outputs; o++) f(l.offset + r * l.outP + o);
  }

  /**
   * The fused pass over every layer: Adam (or, with `writeGrads`, d/dμ into g and d/dφ into c);
   * with `resample`, also the next draw. Returns the shared φ's gradient in homogeneous mode.
   */
  private update(batchSize: number, writeGrads: boolean, resample: boolean): number {
    const k = this.k;
    const cs = costScale(batchSize, this.options.datasetSize);
    k.setObjective(this.homogeneous, this.homogeneous ? 0 : this.costs.powers.length, this.costs.lambda, cs);
    k.resetSums();
    this.padded.layers.forEach((l, i) =>
      k.updateLayer(l.inputs + 1, l.outputs, l.outP, l.offset, writeGrads, resample, i === 0 ? this.p.colSum : 0, l.inputs));
    if (!this.homogeneous) return 0;
    const phi = this.sharedPhi[0];
    let dCost = 0;
    for (const t of this.options.objective.reliability) dCost += this.layout.synapses * t.derivative(softplus(phi));
    return sigmoid(phi) * (k.gradXiSum() + cs * dCost);
  }

  /** The objective's value at the drawn weights: Σ NLL + (B/N)·costs. */
  private loss(nll: number, batchSize: number, drawn: DrawnCosts, custom: { sigma: number; mu: number }): number {
    const cost = this.costs.lambda * drawn.magnitude + drawn.reliability + custom.sigma + custom.mu;
    return nll + costScale(batchSize, this.options.datasetSize) * cost;
  }

  private alive(): void {
    if (this.disposed) throw new VesicleError("this fused session was disposed", "disposed");
  }

  async step(batch: Batch): Promise<StepResult> {
    this.alive();
    const { bufs, affine } = this.writeBatch(batch);
    const drawn = this.drawn ?? this.draw(0);
    const custom = this.customCosts();
    const nll = this.lossAndBackward(bufs, batch.size, affine);
    const o = this.options.optimiser;
    this.adamStep++;
    const bc1 = 1 - Math.pow(o.beta1, this.adamStep);
    const bc2 = 1 - Math.pow(o.beta2, this.adamStep);
    this.k.setAdam(o.learningRate / bc1, o.beta1, o.beta2, o.epsilon, 1 / Math.sqrt(bc2));
    if (this.homogeneous) {
      // σ is shared, so the next draw waits for the whole pass's Σ dL/dw·ξ.
      const g = this.update(batch.size, false, false);
      // The one shared φ: Adam in f64, stored as f32 like every other parameter.
      this.sharedM[0] = o.beta1 * this.sharedM[0] + (1 - o.beta1) * g;
      this.sharedV[0] = o.beta2 * this.sharedV[0] + (1 - o.beta2) * g * g;
      this.sharedPhi[0] -= ((o.learningRate / bc1) * this.sharedM[0]) / (Math.sqrt(this.sharedV[0]) / Math.sqrt(bc2) + o.epsilon);
      this.drawn = this.draw(0);
    } else {
      this.update(batch.size, false, true);
      this.drawn = { reliability: this.k.reliabilitySum(), magnitude: this.k.magnitudeSum() };
    }
    return { loss: this.loss(nll, batch.size, drawn, custom), nll };
  }

  async gradients(batch: Batch, noise: Float32Array): Promise<GradientResult> {
    this.alive();
    check(noise.length === this.layout.synapses, `expected ${this.layout.synapses} noise values, got ${noise.length}`, "bad-parameters");
    const { bufs, affine } = this.writeBatch(batch);
    const n = this.padded.length;
    const xi = this.f32(this.p.a, n);
    xi.fill(0);
    toPadded(noise, this.layout, this.padded, xi);
    const drawn = this.draw(1);
    this.drawn = undefined; // the gradient pass overwrites g and c: the next step draws afresh
    const custom = this.customCosts();
    const nll = this.lossAndBackward(bufs, batch.size, affine);
    const gradSharedPhi = this.update(batch.size, true, false);
    const gradMu = fromPadded(this.f32(this.p.g, n), this.layout, this.padded, new Float32Array(this.layout.synapses));
    const gradPhi = this.homogeneous
      ? Float32Array.of(gradSharedPhi)
      : fromPadded(this.f32(this.p.c, n), this.layout, this.padded, new Float32Array(this.layout.synapses));
    return { loss: this.loss(nll, batch.size, drawn, custom), nll, gradMu, gradPhi };
  }

  async forward(inputs: Float32Array, count: number, weights: WeightChoice): Promise<Float32Array> {
    this.alive();
    const first = this.padded.layers[0];
    const last = this.padded.layers[this.padded.layers.length - 1];
    check(inputs.length >= count * first.inputs, `forward: expected ${count}×${first.inputs} inputs, got ${inputs.length}`);
    const bufs = this.ensureCapacity(Math.min(count, FORWARD_CHUNK));
    // Mean weights are μ itself (its padding is 0); a sample replaces the training draw, which
    // also leaves the column sums of its first layer in colSum.
    let at = this.p.mu;
    let colSum = this.p.evalColSum;
    if (weights === "mean") this.k.columnSums(this.p.mu, first.inputs, first.outP, colSum);
    else {
      this.draw(0);
      this.drawn = undefined;
      at = this.p.w;
      colSum = this.p.colSum;
    }
    const out = new Float32Array(count * last.outputs);
    for (let start = 0; start < count; start += bufs.capacity) {
      const rows = Math.min(bufs.capacity, count - start);
      new Float32Array(this.k.memory.buffer, bufs.inputs, rows * first.inputs).set(inputs.subarray(start * first.inputs, (start + rows) * first.inputs));
      // Normalised images: most inputs are the blank pixels' value, the smallest; skipped as background.
      const background = this.k.minOf(bufs.inputs, rows * first.inputs);
      const h = this.f32(this.forwardRows(bufs, rows, { kind: "floats", background, colSum }, at), rows * last.outP);
      for (let r = 0; r < rows; r++) out.set(h.subarray(r * last.outP, r * last.outP + last.outputs), (start + r) * last.outputs);
    }
    return out;
  }

  dispose(): void {
    this.disposed = true;
  }
}
