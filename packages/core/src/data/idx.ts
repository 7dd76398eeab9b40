/**
 * The IDX format of MNIST, Fashion-MNIST and KMNIST: a big-endian header (two zero bytes, a type
 * code, the number of dimensions, then each dimension as uint32) followed by the data.
 * Only unsigned-byte data (type 0x08) is accepted: that is what every image/label set uses.
 */
import { VesicleError } from "../errors.js";

export interface IdxArray {
  readonly dims: readonly number[];
  readonly data: Uint8Array;
}

const UNSIGNED_BYTE = 0x08;

/** Parses an IDX buffer; `name` appears in every error so the user knows which file is bad. */
export function parseIdx(bytes: Uint8Array, name: string): IdxArray {
  const fail = (why: string): never => {
    throw new VesicleError(`${name}: not a valid IDX file: ${why}`, "bad-idx");
  };
  if (bytes.length < 4) fail(`only ${bytes.length} bytes, shorter than the 4-byte magic number`);
  if (bytes[0] !== 0 || bytes[1] !== 0) fail(`magic number starts 0x${hex(bytes[0])}${hex(bytes[1])}, expected 0x0000`);
  if (bytes[2] !== UNSIGNED_BYTE) fail(`data type 0x${hex(bytes[2])} is not unsigned byte (0x08)`);
  const ndim = bytes[3];
  if (ndim < 1) fail("zero dimensions");
  const headerLength = 4 + 4 * ndim;
  if (bytes.length < headerLength) fail(`truncated header: ${bytes.length} bytes, need ${headerLength} for ${ndim} dimensions`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const dims: number[] = [];
  let count = 1;
  for (let d = 0; d < ndim; d++) {
    const size = view.getUint32(4 + 4 * d, false);
    if (size === 0) fail(`dimension ${d} is zero`);
    dims.push(size);
    count *= size;
  }
  const available = bytes.length - headerLength;
  if (available < count) fail(`truncated: header says ${dims.join("×")} = ${count} values, file holds ${available}`);
  if (available > count) fail(`${available - count} bytes of trailing data after ${dims.join("×")} values`);
  return { dims, data: bytes.subarray(headerLength) };
}

function hex(b: number): string {
  return b.toString(16).padStart(2, "0");
}
