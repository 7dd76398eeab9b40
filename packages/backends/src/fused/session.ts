/**
 * One network training on the fused kernels. A step is: sample w = μ + σξ once for the minibatch
 * (one pass over the parameters), forward and backward through the padded dense layers with
 * zero inputs skipped, then one fused pass computing the cost terms, the φ chain rule and Adam.
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

/** Rows per kernel call when `forward` evaluates many inputs (bounds scratch memory). */
const FORWARD_CHUNK = 256;

interface ParamBuffers {
  mu: number; phi: number; xi: number; w: number; g: number; gPhi: number;
  mMu: number; vMu: number; mPhi: number; vPhi: number;
  extraSig: number; extraMu: number; powers: number; scratch: number; seed: number; colSum: number;
}

interface LayerScratch {
  act: number; delta: number; colPtr: number; rowIdx: number; vals: number;
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
    const custom = this.costs.customSigma.length > 0 || this.costs.customMu.length > 0;
    const phiBytes = this.homogeneous ? 16 : P;
    const a = (bytes: number) => this.arena.alloc(bytes);
    this.p = {
      mu: a(P), phi: a(phiBytes), xi: a(P), w: a(P), g: a(P), gPhi: a(phiBytes),
      mMu: a(P), vMu: a(P), mPhi: a(phiBytes), vPhi: a(phiBytes),
      extraSig: custom && !this.homogeneous ? a(P) : 0,
      extraMu: custom ? a(P) : 0,
      powers: a(8 * Math.max(1, this.costs.powers.length)),
      scratch: a(16), seed: a(64),
      colSum: a(this.padded.layers[0].outP * 4),
    };
    this.paramsEnd = this.arena.mark();
    this.k.setBuffers(this.p.mu, this.p.phi, this.p.xi, this.p.w, this.p.g, this.p.gPhi, this.p.mMu, this.p.vMu, this.p.mPhi, this.p.vPhi,
      this.p.extraSig, this.costs.customMu.length > 0 ? this.p.extraMu : 0, this.p.powers, this.p.scratch);
    const pw = this.f32(this.p.powers, 2 * this.costs.powers.length);
    this.costs.powers.forEach((t, i) => {
      pw[2 * i] = t.rho;
      pw[2 * i + 1] = t.c;
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
  }

  // ---- the passes ----
  /** mode 0: fresh noise, 1: ξ already in the buffer, 2: w = μ. */
  private sample(mode: number, withColSum: boolean): void {
    if (this.homogeneous) this.k.setSharedSigma(softplus(this.sharedPhi[0]));
    this.padded.layers.forEach((l, i) => {
      const col = i === 0 && withColSum;
      this.k.sampleLayer(l.inputs + 1, l.outputs, l.outP, l.offset, mode, col ? this.p.colSum : 0, l.inputs);
    });
  }

  /** Forward pass of `rows` examples already written to the batch buffers; returns the output buffer. */
  private forwardRows(bufs: BatchBuffers, rows: number, affine: { scale: number; shift: number } | undefined): number {
    const k = this.k;
    const L = this.padded.layers;
    L.forEach((l, i) => {
      const s = bufs.layers[i];
      const hidden = i + 1 < L.length;
      if (i === 0) {
        if (affine) k.gatherPixels(bufs.pixels, rows, l.inputs, affine.scale, s.colPtr, s.rowIdx, s.vals);
        else k.gatherFloats(bufs.inputs, rows, l.inputs, l.inputs, true, s.colPtr, s.rowIdx, s.vals);
      } else {
        k.gatherFloats(bufs.layers[i - 1].act, rows, l.inputs, L[i - 1].outP, this.relu, s.colPtr, s.rowIdx, s.vals);
      }
      const w = this.p.w + l.offset * 4;
      k.forwardLayer(s.colPtr, s.rowIdx, s.vals, l.inputs, rows, w, w + l.inputs * l.outP * 4, l.outP,
        i === 0 && affine ? this.p.colSum : 0, affine?.shift ?? 0, s.act, hidden && this.relu);
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
    const out = this.forwardRows(bufs, rows, affine);
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
   * The generic cost path (terms without a closed form): fills the derivative buffers from the
   * current σ and μ in JS and returns their summed values. Slower than the kernel's built-ins.
   */
  private customCosts(): { sigma: number; mu: number } {
    const { customSigma, customMu } = this.costs;
    let sigmaCost = 0;
    let muCost = 0;
    if (this.homogeneous) {
      const s = softplus(this.sharedPhi[0]);
      for (const t of [...customSigma, ...this.closedSigmaTermsForShared()]) sigmaCost += this.layout.synapses * t.value(s);
    }
    const n = this.padded.length;
    if (customSigma.length > 0 && !this.homogeneous) {
      const phi = this.f32(this.p.phi, n);
      const d = this.f32(this.p.extraSig, n);
      d.fill(0);
      this.eachReal((k) => {
        const s = softplus(phi[k]);
        let dv = 0;
        for (const t of customSigma) {
          sigmaCost += t.value(s);
          dv += t.derivative(s);
        }
        d[k] = dv;
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

  /** In homogeneous mode every reliability term (closed form or not) is evaluated once in JS. */
  private closedSigmaTermsForShared() {
    return this.options.objective.reliability.filter((t) => !this.costs.customSigma.includes(t));
  }

  private eachReal(f: (k: number) => void): void {
    for (const l of this.padded.layers)
      for (let r = 0; r <= l.inputs; r++) for (let o = 0; o < l.outputs; o++) f(l.offset + r * l.outP + o);
  }

  /** Runs the fused cost/gradient pass; returns the objective's cost part (before scaling) and the shared φ's gradient. */
  private costPass(batchSize: number, writeGrads: boolean): { cost: number; gradSharedPhi: number } {
    const k = this.k;
    const cs = costScale(batchSize, this.options.datasetSize);
    const custom = this.customCosts();
    k.setObjective(this.homogeneous, this.homogeneous ? 0 : this.costs.powers.length, this.costs.lambda, cs);
    k.resetSums();
    for (const l of this.padded.layers) k.updateLayer(l.inputs + 1, l.outputs, l.outP, l.offset, writeGrads);
    let cost = this.costs.lambda * k.magnitudeSum() + k.reliabilitySum() + custom.sigma + custom.mu;
    let gradSharedPhi = 0;
    if (this.homogeneous) {
      const phi = this.sharedPhi[0];
      const s = softplus(phi);
      let dCost = 0;
      for (const t of this.options.objective.reliability) dCost += this.layout.synapses * t.derivative(s);
      gradSharedPhi = sigmoid(phi) * (k.gradXiSum() + cs * dCost);
    }
    return { cost, gradSharedPhi };
  }

  private alive(): void {
    if (this.disposed) throw new VesicleError("this fused session was disposed", "disposed");
  }

  async step(batch: Batch): Promise<StepResult> {
    this.alive();
    const { bufs, affine } = this.writeBatch(batch);
    this.sample(0, affine !== undefined);
    const nll = this.lossAndBackward(bufs, batch.size, affine);
    const o = this.options.optimiser;
    this.adamStep++;
    const bc1 = 1 - Math.pow(o.beta1, this.adamStep);
    const bc2 = 1 - Math.pow(o.beta2, this.adamStep);
    this.k.setAdam(o.learningRate / bc1, o.beta1, o.beta2, o.epsilon, 1 / Math.sqrt(bc2));
    const { cost, gradSharedPhi } = this.costPass(batch.size, false);
    if (this.homogeneous) {
      // The one shared φ: Adam in f64, stored as f32 like every other parameter.
      const g = gradSharedPhi;
      this.sharedM[0] = o.beta1 * this.sharedM[0] + (1 - o.beta1) * g;
      this.sharedV[0] = o.beta2 * this.sharedV[0] + (1 - o.beta2) * g * g;
      this.sharedPhi[0] -= ((o.learningRate / bc1) * this.sharedM[0]) / (Math.sqrt(this.sharedV[0]) / Math.sqrt(bc2) + o.epsilon);
    }
    const cs = costScale(batch.size, this.options.datasetSize);
    return { loss: nll + cs * cost, nll };
  }

  async gradients(batch: Batch, noise: Float32Array): Promise<GradientResult> {
    this.alive();
    check(noise.length === this.layout.synapses, `expected ${this.layout.synapses} noise values, got ${noise.length}`, "bad-parameters");
    const { bufs, affine } = this.writeBatch(batch);
    const n = this.padded.length;
    const xi = this.f32(this.p.xi, n);
    xi.fill(0);
    toPadded(noise, this.layout, this.padded, xi);
    this.sample(1, affine !== undefined);
    const nll = this.lossAndBackward(bufs, batch.size, affine);
    const { cost, gradSharedPhi } = this.costPass(batch.size, true);
    const gradMu = fromPadded(this.f32(this.p.g, n), this.layout, this.padded, new Float32Array(this.layout.synapses));
    const gradPhi = this.homogeneous
      ? Float32Array.of(gradSharedPhi)
      : fromPadded(this.f32(this.p.gPhi, n), this.layout, this.padded, new Float32Array(this.layout.synapses));
    const cs = costScale(batch.size, this.options.datasetSize);
    return { loss: nll + cs * cost, nll, gradMu, gradPhi };
  }

  async forward(inputs: Float32Array, count: number, weights: WeightChoice): Promise<Float32Array> {
    this.alive();
    const first = this.padded.layers[0];
    const last = this.padded.layers[this.padded.layers.length - 1];
    check(inputs.length >= count * first.inputs, `forward: expected ${count}×${first.inputs} inputs, got ${inputs.length}`);
    const bufs = this.ensureCapacity(Math.min(count, FORWARD_CHUNK));
    this.sample(weights === "mean" ? 2 : 0, false);
    const out = new Float32Array(count * last.outputs);
    for (let start = 0; start < count; start += bufs.capacity) {
      const rows = Math.min(bufs.capacity, count - start);
      new Float32Array(this.k.memory.buffer, bufs.inputs, rows * first.inputs).set(inputs.subarray(start * first.inputs, (start + rows) * first.inputs));
      const at = this.forwardRows(bufs, rows, undefined);
      const h = this.f32(at, rows * last.outP);
      for (let r = 0; r < rows; r++) out.set(h.subarray(r * last.outP, r * last.outP + last.outputs), (start + r) * last.outputs);
    }
    return out;
  }

  dispose(): void {
    this.disposed = true;
  }
}
