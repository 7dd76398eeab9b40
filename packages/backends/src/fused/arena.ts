/**
 * Byte offsets for the kernel's buffers in one WebAssembly memory. The parameter region is laid
 * out once; the batch region after it is relaid only when a larger batch arrives, so memory
 * stops growing after the first steps however long training runs.
 */
import type { Kernels } from "./kernels.js";

const PAGE = 65536;

export class Arena {
  private top: number;

  constructor(private readonly kernels: Kernels, start: number) {
    this.top = align(start);
  }

  /** Reserves `bytes` (16-byte aligned) and returns its offset; grows memory when needed. */
  alloc(bytes: number): number {
    const at = this.top;
    this.top = align(at + Math.max(bytes, 16));
    const need = this.top - this.kernels.memory.buffer.byteLength;
    if (need > 0) this.kernels.memory.grow(Math.ceil(need / PAGE));
    return at;
  }

  /** Current end of the reserved space (a mark to `reset` to). */
  mark(): number {
    return this.top;
  }

  /** Frees everything reserved after `mark` (the memory itself is kept for reuse). */
  reset(mark: number): void {
    this.top = mark;
  }
}

function align(n: number): number {
  return Math.ceil(n / 16) * 16;
}
