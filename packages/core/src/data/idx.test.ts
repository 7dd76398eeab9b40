import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { IDX_FILES, loadIdxDirectory, toSplit } from "./dataset.js";
import { parseIdx } from "./idx.js";

/** An IDX file of unsigned bytes with the given dims and data. */
function idx(dims: number[], data: number[], typeCode = 0x08): Uint8Array {
  const header = new Uint8Array(4 + 4 * dims.length);
  header[2] = typeCode;
  header[3] = dims.length;
  const view = new DataView(header.buffer);
  dims.forEach((d, i) => view.setUint32(4 + 4 * i, d, false));
  return new Uint8Array([...header, ...data]);
}

describe("parseIdx", () => {
  it("reads dims and data", () => {
    const a = parseIdx(idx([2, 2, 3], [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]), "x");
    expect(a.dims).toEqual([2, 2, 3]);
    expect([...a.data]).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
  });
  it("rejects a wrong magic number", () => {
    const bytes = idx([2], [1, 2]);
    bytes[0] = 0x1f; // e.g. a gzip file passed as raw
    expect(() => parseIdx(bytes, "f.idx")).toThrow(/f\.idx: not a valid IDX file: magic number/);
  });
  it("rejects a non-byte data type", () => {
    expect(() => parseIdx(idx([2], [1, 2], 0x0d), "f")).toThrow(/data type 0x0d is not unsigned byte/);
  });
  it("rejects a truncated header", () => {
    expect(() => parseIdx(idx([5, 5], []).subarray(0, 9), "f")).toThrow(/truncated header/);
  });
  it("rejects truncated data", () => {
    expect(() => parseIdx(idx([3, 2], [1, 2, 3]), "f")).toThrow(/truncated: header says 3×2 = 6 values, file holds 3/);
  });
  it("rejects trailing bytes", () => {
    expect(() => parseIdx(idx([2], [1, 2, 3]), "f")).toThrow(/1 bytes of trailing data/);
  });
  it("rejects files too short for a magic number", () => {
    expect(() => parseIdx(new Uint8Array([0, 0]), "f")).toThrow(/shorter than the 4-byte magic/);
  });
});

describe("IDX datasets", () => {
  it("rejects image and label counts that disagree", () => {
    const images = parseIdx(idx([3, 2, 2], new Array(12).fill(0)), "i");
    const labels = parseIdx(idx([2], [0, 1]), "l");
    expect(() => toSplit(images, labels, "train")).toThrow(/train: 3 images but 2 labels/);
  });

  it("loads a directory (plain and gzipped files), with train-set normalisation", () => {
    const dir = mkdtempSync(join(tmpdir(), "vesicle-idx-"));
    writeFileSync(join(dir, IDX_FILES.trainImages), idx([2, 1, 2], [0, 255, 255, 0]));
    writeFileSync(join(dir, `${IDX_FILES.trainLabels}.gz`), gzipSync(idx([2], [0, 2])));
    writeFileSync(join(dir, IDX_FILES.testImages), idx([1, 1, 2], [255, 255]));
    writeFileSync(join(dir, IDX_FILES.testLabels), idx([1], [1]));
    const ds = loadIdxDirectory(dir);
    expect(ds.inputSize).toBe(2);
    expect(ds.classes).toBe(3);
    expect(ds.train.count).toBe(2);
    // pixels/255 are {0,1,1,0}: mean 0.5, std 0.5, so 0 → -1 and 255 → +1.
    expect(0 * ds.affine.scale + ds.affine.shift).toBeCloseTo(-1, 12);
    expect(255 * ds.affine.scale + ds.affine.shift).toBeCloseTo(1, 12);
  });

  it("names the missing file", () => {
    const dir = mkdtempSync(join(tmpdir(), "vesicle-idx-"));
    expect(() => loadIdxDirectory(dir)).toThrow(/has no train-images-idx3-ubyte/);
  });
});
