/**
 * Named sweeps: the paper's full grid, and a quick one that shows the same tradeoff in minutes.
 */
import { deepFreeze, type ExperimentInput } from "../spec.js";
import type { SweepGrid } from "./grid.js";

export interface SweepPreset {
  readonly name: string;
  readonly description: string;
  readonly grid: SweepGrid;
  /** Overrides of the paper's defaults shared by every member. */
  readonly base: ExperimentInput;
}

/**
 * Figs. 2-3 as in the paper: every mechanism, c = 10^-2 … 10^4 (25 values), both noise modes, seed 0,
 * full MNIST, 50 epochs. 200 members × 150,000 steps; at ~1 ms/step about 42 h of training on one worker.
 */
export const PAPER_PRESET: SweepPreset = deepFreeze({
  name: "paper",
  description: "Figs. 2-3 of the paper: 4 mechanisms × 25 values of c × 2 noise modes, full MNIST, 50 epochs",
  grid: {},
  base: {},
});

/**
 * A preview of Figs. 2-3: all 4 mechanisms × 3 values of c × both noise modes = 24 members.
 *
 * Why not simply "2 epochs": σ = softplus(φ) starts at 1e-4 (φ ≈ −9.2), and Adam moves φ by at most
 * about the learning rate per step, so at the paper's 5e-4 a run needs ~18,000 steps before σ can
 * grow enough to cost accuracy (measured: 2 epochs of 5000 images at c = 100 end with σ = 1.28e-4,
 * whatever c is). The preview therefore starts σ at 0.1 (φ ≈ −2.25) and uses a learning rate of
 * 2e-3 for 8 epochs of 250 steps, so φ can move about ±3 and c decides where σ goes. The train set
 * is 12× smaller than the paper's, which weighs the reliability cost 12× more per step (its weight
 * in a minibatch is B/N, with N the subset size). Measured on tfjs-wasm, heterogeneous noise, sampled-weight accuracy at c = 1e-2 → 1e2:
 * calcium efflux (ρ = 1/2) 0.89 → 0.10, trafficking (ρ = 2) 0.82 → 0.22, with σ̄ rising; so
 * c = 1e-2, 1, 1e2 span low, middle and high noise for the extreme ρs.
 *
 * Time, fast backend (~1 ms per step of 20 examples), 2 cores (2 workers):
 * - training: 5000 / 20 = 250 steps × 8 epochs = 2,000 steps ≈ 2 s per member;
 * - evaluation on the 10,000 test images: 8 per-epoch passes + 21 final ones (mean + 20 samples);
 *   a pass is ~0.9 G multiply-adds, ~0.2 s at the rate a training step implies, so ≈ 6 s;
 * - start-up (data, session) ≈ 1 s; so ≈ 9 s per member;
 * - 24 members / 2 workers × 9 s ≈ 110 s, plus a few seconds for the figures: about 2 minutes,
 *   leaving a 5× margin under the 10-minute budget for slower machines.
 */
export const QUICK_PRESET: SweepPreset = deepFreeze({
  name: "quick",
  description: "a 2-minute preview of Figs. 2-3: 4 mechanisms × c = 1e-2, 1, 1e2 × 2 noise modes, 5000 MNIST images, 8 epochs",
  grid: { c: [1e-2, 1, 1e2] },
  base: {
    network: { sigmaInit: 0.1 },
    optimiser: { learningRate: 2e-3 },
    training: { epochs: 8, trainSubset: 5000 },
  },
});

/** Presets by name. */
export const SWEEP_PRESETS: Readonly<Record<string, SweepPreset>> = deepFreeze({ paper: PAPER_PRESET, quick: QUICK_PRESET });
