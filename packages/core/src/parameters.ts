/**
 * A network's parameters: μ per synapse and φ (σ = softplus(φ)) per synapse or shared.
 */
import { check } from "./errors.js";
import { parameterLayout, type ParameterLayout } from "./layout.js";
import { Rng } from "./random.js";
import type { NetworkSpec } from "./spec.js";

export interface NetworkParameters {
  /** PSP means, one per synapse, in {@link ParameterLayout} order. */
  readonly mu: Float32Array;
  /** Softplus arguments: σ = softplus(φ); length `synapses` or 1 (homogeneous noise). */
  readonly phi: Float32Array;
}

/** softplus(x) = log(1 + e^x), computed without overflow. */
export function softplus(x: number): number {
  return x > 20 ? x : x < -20 ? Math.exp(x) : Math.log1p(Math.exp(x));
}

/** The φ with softplus(φ) = σ. */
export function inverseSoftplus(sigma: number): number {
  check(sigma > 0, `σ must be positive, got ${sigma}`);
  return sigma > 20 ? sigma : Math.log(Math.expm1(sigma));
}

/** d softplus / dφ = logistic sigmoid. */
export function sigmoid(x: number): number {
  return 1 / (1 + Math.exp(-x));
}

/** Methods' initialisation: μ ~ U(-r, r), every σ = sigmaInit. Deterministic in `seed`. */
export function initialParameters(network: NetworkSpec, seed: number): NetworkParameters {
  const layout = parameterLayout(network);
  const rng = new Rng(seed);
  const mu = new Float32Array(layout.synapses);
  for (let i = 0; i < mu.length; i++) mu[i] = rng.uniformRange(-network.muInitRange, network.muInitRange);
  const phi = new Float32Array(layout.phiLength).fill(inverseSoftplus(network.sigmaInit));
  return { mu, phi };
}

/** σ of every synapse (the shared σ repeated in homogeneous mode). */
export function sigmas(params: NetworkParameters, layout: ParameterLayout): Float32Array {
  const out = new Float32Array(layout.synapses);
  if (params.phi.length === 1) out.fill(softplus(params.phi[0]));
  else for (let i = 0; i < out.length; i++) out[i] = softplus(params.phi[i]);
  return out;
}

/** Checks that buffers match a layout; throws a clear error otherwise (e.g. a checkpoint of another network). */
export function checkParameters(params: NetworkParameters, layout: ParameterLayout): void {
  check(params.mu.length === layout.synapses, `expected ${layout.synapses} means, got ${params.mu.length}`, "bad-parameters");
  check(params.phi.length === layout.phiLength, `expected ${layout.phiLength} noise parameters, got ${params.phi.length}`, "bad-parameters");
}

export function cloneParameters(p: NetworkParameters): NetworkParameters {
  return { mu: p.mu.slice(), phi: p.phi.slice() };
}
