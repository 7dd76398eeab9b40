/** Axis domains and tick labels for publication figures: log axes labelled 10⁻², 10⁰, 10². */

const SUPERSCRIPT: Record<string, string> = {
  "0": "⁰", "1": "¹", "2": "²", "3": "³", "4": "⁴", "5": "⁵", "6": "⁶", "7": "⁷", "8": "⁸", "9": "⁹", "-": "⁻",
};

/** `-2` → `⁻²`. */
export function superscript(n: number): string {
  return String(n).replace(/[-0-9]/g, (ch) => SUPERSCRIPT[ch]);
}

/** Splits a positive number into mantissa and decade: 0.02 → [2, -2]. */
function decompose(v: number): [number, number] {
  let e = Math.floor(Math.log10(v));
  let m = Number((v / 10 ** e).toPrecision(6));
  if (m >= 10) {
    m /= 10;
    e += 1;
  }
  return [m, e];
}

/** A log-axis tick label: 10⁻², or 2×10⁻² for a value that is not a power of ten. */
export function formatPow10(v: number): string {
  if (!(v > 0) || !Number.isFinite(v)) return "";
  const [m, e] = decompose(v);
  const pow = `10${superscript(e)}`;
  return m === 1 ? pow : `${Number(m.toPrecision(3))}×${pow}`;
}

/** The most labels of the form m×10ᵉ an axis gets when it spans less than half a decade. */
const LONG_LABELS = 3;

export interface LogTicks {
  /** Labelled ticks. */
  major: number[];
  /** Unlabelled shorter ticks. */
  minor: number[];
}

/**
 * Ticks for a log axis over `[lo, hi]`: the powers of ten inside (thinned to at most `maxLabels`);
 * when fewer than two fit, 1-2-5 steps, then integer mantissas (at most three labelled). Minor
 * ticks fill each decade.
 */
export function logTicks(lo: number, hi: number, maxLabels = 6): LogTicks {
  const e0 = Math.floor(Math.log10(lo));
  const e1 = Math.ceil(Math.log10(hi));
  const inside = (v: number) => v >= lo * (1 - 1e-9) && v <= hi * (1 + 1e-9);
  const candidates = (mantissas: number[]) => {
    const out: number[] = [];
    for (let e = e0; e <= e1; e++) for (const m of mantissas) {
      const v = Number((m * 10 ** e).toPrecision(12));
      if (inside(v)) out.push(v);
    }
    return out;
  };
  let major = candidates([1]);
  if (major.length > maxLabels) {
    const step = Math.ceil(major.length / maxLabels);
    // Keep the decades whose exponent is a multiple of `step`, so 10⁰ stays when in range.
    major = major.filter((v) => Math.round(Math.log10(v)) % step === 0);
  }
  if (major.length < 2) major = candidates([1, 2, 5]);
  if (major.length < 2) {
    // Under half a decade: integer mantissas, but labels like 3×10⁵ are wide, so at most
    // LONG_LABELS of them, evenly spaced (the rest stay as minor ticks).
    const all = candidates([1, 2, 3, 4, 5, 6, 7, 8, 9]);
    const step = Math.ceil(all.length / LONG_LABELS);
    major = all.filter((_, i) => i % step === 0);
  }
  const decades = e1 - e0;
  const minor = decades <= 8 ? candidates([1, 2, 3, 4, 5, 6, 7, 8, 9]).filter((v) => !major.includes(v)) : candidates([1]).filter((v) => !major.includes(v));
  return { major, minor };
}

/** The extent of `values` padded by `pad` of its width, in log space for a log axis. */
export function paddedExtent(values: readonly number[], log: boolean, pad = 0.06): [number, number] | undefined {
  const vs = values.filter((v) => Number.isFinite(v) && (!log || v > 0));
  if (vs.length === 0) return undefined;
  let lo = Math.min(...vs);
  let hi = Math.max(...vs);
  if (log) {
    let a = Math.log10(lo);
    let b = Math.log10(hi);
    const w = b - a || 1;
    a -= w * pad;
    b += w * pad;
    return [10 ** a, 10 ** b];
  }
  const w = hi - lo || Math.max(Math.abs(hi), 1) * 0.1;
  lo -= w * pad;
  hi += w * pad;
  return [lo, hi];
}

/**
 * Widens a log domain to a power of ten on the nearer side (then the other) until two powers of
 * ten are inside, so the axis gets 10ⁿ labels rather than 2×10ⁿ ones. Domains narrower than
 * `minDecades` are left alone (they get 1-2-5 labels).
 */
export function extendLogDomain([lo, hi]: [number, number], minDecades = 0.7): [number, number] {
  const a = Math.log10(lo);
  const b = Math.log10(hi);
  if (b - a < minDecades) return [lo, hi];
  const powersInside = (x: number, y: number) => Math.floor(y + 1e-9) - Math.ceil(x - 1e-9) + 1;
  if (powersInside(a, b) >= 2) return [lo, hi];
  const down = a - Math.floor(a); // distance to the power below lo
  const up = Math.ceil(b) - b; // distance to the power above hi
  let [lowerLo, raiseHi] = down <= up ? [true, false] : [false, true];
  if (powersInside(lowerLo ? Math.floor(a) : a, raiseHi ? Math.ceil(b) : b) < 2) [lowerLo, raiseHi] = [true, true];
  return [lowerLo ? 10 ** Math.floor(a) : lo, raiseHi ? 10 ** Math.ceil(b) : hi];
}
