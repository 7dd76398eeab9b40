/**
 * The fused kernels of vesicle's `fused` training backend, compiled to WebAssembly SIMD.
 * Memory is laid out by the JS wrapper (no allocator here), so a session never grows memory
 * after its first batch of a given size.
 */
export { mapBuffer } from "./vmath";
export { seedNoise, fillNormal } from "./random";
export { gatherPixels, gatherFloats, minOf, columnSums, forwardLayer, backwardWeights, backwardInputs, categoricalLoss, gaussianLoss } from "./dense";
export { setBuffers, setObjective, setSharedSigma, setAdam, resetSums, reliabilitySum, magnitudeSum, gradXiSum, sampleLayer, updateLayer } from "./params";

/** First free byte after the module's static data. */
export function heapBase(): usize {
  return __heap_base;
}
