/**
 * Image-classification datasets from IDX files, normalised as x = (pixel/255 - mean)/std with the
 * training set's mean and std (for MNIST, 0.1307 and 0.3081, as the PyTorch peer uses).
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";
import { VesicleError, check } from "../errors.js";
import type { Batch } from "../backend.js";
import { parseIdx, type IdxArray } from "./idx.js";

export interface Split {
  readonly count: number;
  /** `count × inputSize` raw bytes. */
  readonly pixels: Uint8Array;
  readonly labels: Uint8Array;
}

export interface Dataset {
  readonly name: string;
  readonly inputSize: number;
  readonly classes: number;
  readonly train: Split;
  readonly test: Split;
  /** inputs = pixels · scale + shift. */
  readonly affine: { readonly scale: number; readonly shift: number };
}

/** The four standard file names (optionally gzipped) of an MNIST-style directory. */
export const IDX_FILES = {
  trainImages: "train-images-idx3-ubyte",
  trainLabels: "train-labels-idx1-ubyte",
  testImages: "t10k-images-idx3-ubyte",
  testLabels: "t10k-labels-idx1-ubyte",
} as const;

export interface LoadOptions {
  /** Put pixels in SharedArrayBuffers so worker threads read one copy. */
  readonly shared?: boolean;
  readonly name?: string;
}

/** Reads an MNIST-style directory (MNIST, Fashion-MNIST, KMNIST). */
export function loadIdxDirectory(dir: string, options: LoadOptions = {}): Dataset {
  check(existsSync(dir), `data directory ${dir} does not exist`, "bad-data");
  const read = (base: string): IdxArray => {
    for (const file of [base, `${base}.gz`]) {
      const path = join(dir, file);
      if (!existsSync(path)) continue;
      let bytes: Uint8Array = readFileSync(path);
      if (file.endsWith(".gz")) {
        try {
          bytes = gunzipSync(bytes);
        } catch (e) {
          throw new VesicleError(`${path}: cannot decompress: ${(e as Error).message}`, "bad-idx");
        }
      }
      return parseIdx(bytes, path);
    }
    throw new VesicleError(`${dir} has no ${base} (nor ${base}.gz)`, "bad-data");
  };
  const train = toSplit(read(IDX_FILES.trainImages), read(IDX_FILES.trainLabels), join(dir, "train"), options.shared);
  const test = toSplit(read(IDX_FILES.testImages), read(IDX_FILES.testLabels), join(dir, "t10k"), options.shared);
  return assembleDataset(options.name ?? dir, train, test);
}

/** Pairs an image array with a label array, checking they agree. */
export function toSplit(images: IdxArray, labels: IdxArray, name: string, shared = false): Split {
  check(images.dims.length >= 2, `${name} images: expected at least 2 dimensions, got ${images.dims.length}`, "bad-idx");
  check(labels.dims.length === 1, `${name} labels: expected 1 dimension, got ${labels.dims.length}`, "bad-idx");
  const count = images.dims[0];
  check(labels.dims[0] === count, `${name}: ${count} images but ${labels.dims[0]} labels`, "bad-idx");
  return { count, pixels: copy(images.data, shared), labels: copy(labels.data, shared) };
}

/** Builds a dataset from two splits, computing the normalisation from the training pixels. */
export function assembleDataset(name: string, train: Split, test: Split): Dataset {
  const inputSize = train.pixels.length / train.count;
  check(test.pixels.length / test.count === inputSize, `${name}: train images have ${inputSize} pixels, test images ${test.pixels.length / test.count}`, "bad-idx");
  let classes = 0;
  for (const s of [train, test]) for (const y of s.labels) classes = Math.max(classes, y + 1);
  let sum = 0;
  let sumSq = 0;
  for (const p of train.pixels) {
    sum += p;
    sumSq += p * p;
  }
  const n = train.pixels.length;
  const mean = sum / n / 255;
  const std = Math.sqrt(Math.max(sumSq / n / 65025 - mean * mean, 1e-12));
  return { name, inputSize, classes, train, test, affine: { scale: 1 / (255 * std), shift: -mean / std } };
}

/** The first `count` examples of a split (views, no copy). */
export function head(split: Split, count: number): Split {
  const n = Math.min(count, split.count);
  const d = split.pixels.length / split.count;
  return { count: n, pixels: split.pixels.subarray(0, n * d), labels: split.labels.subarray(0, n) };
}

/** Fills a batch from the examples at `indices`. */
export function makeBatch(dataset: Dataset, split: Split, indices: ArrayLike<number>): Batch {
  const d = dataset.inputSize;
  const size = indices.length;
  const pixels = new Uint8Array(size * d);
  const inputs = new Float32Array(size * d);
  const labels = new Int32Array(size);
  const { scale, shift } = dataset.affine;
  for (let b = 0; b < size; b++) {
    const src = indices[b] * d;
    pixels.set(split.pixels.subarray(src, src + d), b * d);
    labels[b] = split.labels[indices[b]];
  }
  for (let i = 0; i < inputs.length; i++) inputs[i] = pixels[i] * scale + shift;
  return { size, inputs, labels, pixels, affine: dataset.affine };
}

/** All of a split's inputs, normalised, `count × inputSize`. */
export function normalisedInputs(dataset: Dataset, split: Split): Float32Array {
  const out = new Float32Array(split.pixels.length);
  const { scale, shift } = dataset.affine;
  for (let i = 0; i < out.length; i++) out[i] = split.pixels[i] * scale + shift;
  return out;
}

function copy(src: Uint8Array, shared: boolean): Uint8Array {
  const out = new Uint8Array(shared ? new SharedArrayBuffer(src.length) : new ArrayBuffer(src.length));
  out.set(src);
  return out;
}
