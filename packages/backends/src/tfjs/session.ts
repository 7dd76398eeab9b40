/**
 * A training session on tfjs: flat μ and φ variables in the core layout, the minibatch objective
 * of core's objective.ts, gradients by tfjs autodiff, and Adam written out so its state is readable.
 *
 * Closed-form costs (power laws, L1) are tfjs ops inside the tape; any other cost plugin takes the
 * generic path: its value and derivative are applied to σ (or μ) in JavaScript and added to the
 * loss and gradient after the tape.
 */
// The full tfjs package, not tfjs-core alone: only it registers the gradient functions autodiff needs.
import * as tf from "@tensorflow/tfjs";


import {
  Rng,
  check,
  checkParameters,
  costScale,
  initialParameters,
  parameterLayout,
  sigmoid,
  softplus,
  type AdamState,
  type Batch,
  type CostTerm,
  type GradientResult,
  type NetworkParameters,
  type ParameterLayout,
  type SessionOptions,
  type StepResult,
  type TrainingSession,
  type WeightChoice,
} from "@vesicle/core";
import { activateEngine, type TfjsEngineName } from "./engines.js";

/** Examples per forward chunk when evaluating a whole test set. */
const FORWARD_CHUNK = 2000;

export async function createTfjsSession(engine: TfjsEngineName, options: SessionOptions): Promise<TrainingSession> {
  await activateEngine(engine);
  return new TfjsSession(engine, options);
}

class TfjsSession implements TrainingSession {
  readonly layout: ParameterLayout;
  private readonly mu: tf.Variable<tf.Rank.R1>;
  private readonly phi: tf.Variable<tf.Rank.R1>;
  private mMu: tf.Variable<tf.Rank.R1>;
  private vMu: tf.Variable<tf.Rank.R1>;
  private mPhi: tf.Variable<tf.Rank.R1>;
  private vPhi: tf.Variable<tf.Rank.R1>;
  private adamStep = 0;
  private noise: Rng;
  private readonly genericReliability: CostTerm[];
  private readonly genericMagnitude: CostTerm[];
  private readonly outputs: number;

  constructor(
    private readonly engine: TfjsEngineName,
    private readonly options: SessionOptions,
  ) {
    this.layout = parameterLayout(options.network);
    this.outputs = options.network.layers[options.network.layers.length - 1];
    const init = initialParameters(options.network, options.seed);
    this.mu = tf.variable(tf.tensor1d(init.mu), true, undefined, "float32") as tf.Variable<tf.Rank.R1>;
    this.phi = tf.variable(tf.tensor1d(init.phi), true, undefined, "float32") as tf.Variable<tf.Rank.R1>;
    this.mMu = tf.variable(tf.zeros([init.mu.length]), false);
    this.vMu = tf.variable(tf.zeros([init.mu.length]), false);
    this.mPhi = tf.variable(tf.zeros([init.phi.length]), false);
    this.vPhi = tf.variable(tf.zeros([init.phi.length]), false);
    this.noise = new Rng(options.seed ^ 0x5eed);
    this.genericReliability = options.objective.reliability.filter((t) => !t.closedForm);
    this.genericMagnitude = options.objective.magnitude.filter((t) => !t.closedForm);
  }

  async step(batch: Batch): Promise<StepResult> {
    const noise = this.noise.fillNormal(new Float32Array(this.layout.synapses));
    const g = await this.lossAndGrads(batch, noise);
    this.adamUpdate(g.gradMu, g.gradPhi);
    g.gradMu.dispose();
    g.gradPhi.dispose();
    return { loss: g.loss, nll: g.nll };
  }

  async gradients(batch: Batch, noise: Float32Array): Promise<GradientResult> {
    check(noise.length === this.layout.synapses, `noise needs ${this.layout.synapses} values, got ${noise.length}`);
    const g = await this.lossAndGrads(batch, noise);
    const result = { loss: g.loss, nll: g.nll, gradMu: (await g.gradMu.data()) as Float32Array, gradPhi: (await g.gradPhi.data()) as Float32Array };
    g.gradMu.dispose();
    g.gradPhi.dispose();
    return result;
  }

  async forward(inputs: Float32Array, count: number, weights: WeightChoice): Promise<Float32Array> {
    await activateEngine(this.engine);
    const d = this.layout.layers[0].inputs;
    check(inputs.length === count * d, `forward: expected ${count}×${d} inputs, got ${inputs.length}`);
    const noise = weights === "sample" ? this.noise.fillNormal(new Float32Array(this.layout.synapses)) : undefined;
    const out = new Float32Array(count * this.outputs);
    const w = tf.tidy(() => (noise ? this.sampleWeights(tf.tensor1d(noise)) : this.mu.clone()));
    try {
      for (let start = 0; start < count; start += FORWARD_CHUNK) {
        const n = Math.min(FORWARD_CHUNK, count - start);
        const logits = tf.tidy(() => this.network(w, tf.tensor2d(inputs.subarray(start * d, (start + n) * d), [n, d])));
        out.set(await logits.data(), start * this.outputs);
        logits.dispose();
      }
    } finally {
      w.dispose();
    }
    return out;
  }

  getParameters(): NetworkParameters {
    return { mu: this.mu.dataSync().slice() as Float32Array, phi: this.phi.dataSync().slice() as Float32Array };
  }

  setParameters(p: NetworkParameters): void {
    checkParameters(p, this.layout);
    this.mu.assign(tf.tensor1d(p.mu));
    this.phi.assign(tf.tensor1d(p.phi));
  }

  getOptimiserState(): AdamState {
    const read = (v: tf.Variable) => v.dataSync().slice() as Float32Array;
    return { step: this.adamStep, mMu: read(this.mMu), vMu: read(this.vMu), mPhi: read(this.mPhi), vPhi: read(this.vPhi) };
  }

  setOptimiserState(s: AdamState): void {
    check(s.mMu.length === this.layout.synapses && s.mPhi.length === this.layout.phiLength, "optimiser state does not match this network", "bad-parameters");
    this.adamStep = s.step;
    this.mMu.assign(tf.tensor1d(s.mMu));
    this.vMu.assign(tf.tensor1d(s.vMu));
    this.mPhi.assign(tf.tensor1d(s.mPhi));
    this.vPhi.assign(tf.tensor1d(s.vPhi));
  }

  reseedNoise(seed: number): void {
    this.noise = new Rng(seed);
  }

  dispose(): void {
    for (const v of [this.mu, this.phi, this.mMu, this.vMu, this.mPhi, this.vPhi]) v.dispose();
  }

  /** w = μ + softplus(φ)·ξ (σ broadcast when shared). */
  private sampleWeights(noise: tf.Tensor1D): tf.Tensor1D {
    return tf.add(this.mu, tf.mul(tf.softplus(this.phi), noise));
  }

  /** Outputs of the network whose flat weights are `w`, for inputs `x` (n × d). */
  private network(w: tf.Tensor1D, x: tf.Tensor2D): tf.Tensor2D {
    let h: tf.Tensor2D = x;
    const last = this.layout.layers.length - 1;
    this.layout.layers.forEach((l, i) => {
      const W = tf.reshape(tf.slice(w, l.weightOffset, l.inputs * l.outputs), [l.inputs, l.outputs]) as tf.Tensor2D;
      const b = tf.slice(w, l.biasOffset, l.outputs);
      h = tf.add(tf.matMul(h, W), b);
      if (i < last && this.options.network.activation === "relu") h = tf.relu(h);
    });
    return h;
  }

  private async lossAndGrads(batch: Batch, noise: Float32Array) {
    await activateEngine(this.engine);
    const { network } = this.options;
    const B = batch.size;
    const d = this.layout.layers[0].inputs;
    check(batch.inputs.length === B * d, `batch: expected ${B}×${d} inputs, got ${batch.inputs.length}`);
    const scale = costScale(B, this.options.datasetSize);
    let nllTensor: tf.Scalar | undefined;
    const { value, grads } = tf.tidy(() => {
      const x = tf.tensor2d(batch.inputs, [B, d]);
      const xi = tf.tensor1d(noise);
      return tf.variableGrads(() => {
        const out = this.network(this.sampleWeights(xi), x);
        let nll: tf.Scalar;
        if (network.likelihood.kind === "categorical") {
          check(batch.labels !== undefined, "a categorical likelihood needs batch.labels");
          const onehot = tf.oneHot(tf.tensor1d(batch.labels, "int32"), this.outputs);
          nll = tf.neg(tf.sum(tf.mul(onehot, tf.logSoftmax(out))));
        } else {
          check(batch.targets !== undefined, "a Gaussian likelihood needs batch.targets");
          const eps = network.likelihood.noiseStd;
          nll = tf.div(tf.sum(tf.square(tf.sub(tf.tensor2d(batch.targets, [B, this.outputs]), out))), 2 * eps * eps);
        }
        nllTensor = tf.keep(nll); // reported separately; kept past tidy
        const costs = this.closedFormCosts();
        return tf.keep(tf.add(nll, tf.mul(costs, scale))) as tf.Scalar;
      }, [this.mu, this.phi]);
    });
    const nllValue = (await nllTensor!.data())[0];
    nllTensor!.dispose();
    let loss = (await value.data())[0];
    value.dispose();
    let gradMu = grads[this.mu.name] as tf.Tensor1D;
    let gradPhi = grads[this.phi.name] as tf.Tensor1D;
    if (this.genericReliability.length + this.genericMagnitude.length > 0) {
      const extra = this.genericCosts(scale);
      loss += extra.value;
      const gm = tf.add(gradMu, tf.tensor1d(extra.gradMu)) as tf.Tensor1D;
      const gp = tf.add(gradPhi, tf.tensor1d(extra.gradPhi)) as tf.Tensor1D;
      gradMu.dispose();
      gradPhi.dispose();
      gradMu = gm;
      gradPhi = gp;
    }
    return { loss, nll: nllValue, gradMu, gradPhi };
  }

  /** Σ of the closed-form costs (power laws on σ, L1 on μ), as a tfjs scalar inside the tape. */
  private closedFormCosts(): tf.Scalar {
    const sigma = tf.softplus(this.phi);
    const repeat = this.layout.phiLength === 1 ? this.layout.synapses : 1;
    let total: tf.Scalar = tf.scalar(0);
    for (const t of this.options.objective.reliability) {
      if (t.closedForm?.kind !== "power") continue;
      total = tf.add(total, tf.mul(tf.sum(tf.pow(sigma, -t.closedForm.rho)), t.closedForm.c * repeat));
    }
    for (const t of this.options.objective.magnitude) {
      if (t.closedForm?.kind !== "l1") continue;
      total = tf.add(total, tf.mul(tf.sum(tf.abs(this.mu)), t.closedForm.lambda));
    }
    return total;
  }

  /** The generic path: plugin costs without a closed form, in JavaScript. */
  private genericCosts(scale: number): { value: number; gradMu: Float32Array; gradPhi: Float32Array } {
    const mu = this.mu.dataSync();
    const phi = this.phi.dataSync();
    const gradMu = new Float32Array(mu.length);
    const gradPhi = new Float32Array(phi.length);
    const repeat = phi.length === 1 ? this.layout.synapses : 1;
    let value = 0;
    for (const t of this.genericReliability) {
      for (let i = 0; i < phi.length; i++) {
        const s = softplus(phi[i]);
        value += repeat * t.value(s);
        gradPhi[i] += scale * repeat * t.derivative(s) * sigmoid(phi[i]);
      }
    }
    for (const t of this.genericMagnitude) {
      for (let i = 0; i < mu.length; i++) {
        value += t.value(mu[i]);
        gradMu[i] += scale * t.derivative(mu[i]);
      }
    }
    return { value: scale * value, gradMu, gradPhi };
  }

  /** Adam as in Kingma and Ba (and torch.optim.Adam): bias-corrected, ε added to √v̂. */
  private adamUpdate(gradMu: tf.Tensor1D, gradPhi: tf.Tensor1D): void {
    const { learningRate: lr, beta1, beta2, epsilon } = this.options.optimiser;
    this.adamStep++;
    const t = this.adamStep;
    const c1 = 1 - Math.pow(beta1, t);
    const c2 = 1 - Math.pow(beta2, t);
    const update = (p: tf.Variable, m: tf.Variable, v: tf.Variable, g: tf.Tensor) =>
      tf.tidy(() => {
        const m2 = tf.add(tf.mul(m, beta1), tf.mul(g, 1 - beta1));
        const v2 = tf.add(tf.mul(v, beta2), tf.mul(tf.square(g), 1 - beta2));
        m.assign(m2);
        v.assign(v2);
        p.assign(tf.sub(p, tf.div(tf.mul(m2, lr / c1), tf.add(tf.sqrt(tf.div(v2, c2)), epsilon))));
      });
    update(this.mu, this.mMu, this.vMu, gradMu);
    update(this.phi, this.mPhi, this.vPhi, gradPhi);
  }
}
