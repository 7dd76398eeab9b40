/**
 * Progress for long work: a redrawn bar on a terminal, plain log lines otherwise (CI, files).
 */
export interface ProgressLine {
  /** Fraction done in [0, 1]. */
  readonly fraction: number;
  /** Text after the bar, e.g. "epoch 3/50 loss 0.21". */
  readonly label: string;
}

export class Progress {
  private readonly startedAt = performance.now();
  private lastPlain = -1;
  private drawn = false;

  constructor(
    private readonly out: NodeJS.WriteStream = process.stderr,
    private readonly tty: boolean = Boolean(process.stderr.isTTY) && process.env.CI !== "true",
  ) {}

  /** Redraws the bar (terminal) or prints a line at each further 10% (plain). */
  update(p: ProgressLine): void {
    const eta = this.eta(p.fraction);
    if (this.tty) {
      const width = 24;
      const filled = Math.round(Math.min(1, Math.max(0, p.fraction)) * width);
      const line = `[${"█".repeat(filled)}${"·".repeat(width - filled)}] ${(100 * p.fraction).toFixed(0).padStart(3)}% ${p.label}  ETA ${eta}`;
      this.out.write(`\r\x1b[2K${line}`);
      this.drawn = true;
    } else {
      const decile = Math.floor(p.fraction * 10);
      if (decile > this.lastPlain) {
        this.lastPlain = decile;
        this.out.write(`${(100 * p.fraction).toFixed(0).padStart(3)}% ${p.label} (ETA ${eta})\n`);
      }
    }
  }

  /** Prints a line that stays (above the bar on a terminal). */
  log(line: string): void {
    if (this.tty && this.drawn) this.out.write("\r\x1b[2K");
    this.out.write(line + "\n");
    this.drawn = false;
  }

  done(): void {
    if (this.tty && this.drawn) this.out.write("\r\x1b[2K");
    this.drawn = false;
  }

  private eta(fraction: number): string {
    if (fraction <= 0) return "?";
    const elapsed = (performance.now() - this.startedAt) / 1000;
    return formatSeconds((elapsed * (1 - fraction)) / fraction);
  }
}

export function formatSeconds(s: number): string {
  if (!Number.isFinite(s)) return "?";
  if (s < 60) return `${s.toFixed(0)}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(Math.round(s % 60)).padStart(2, "0")}s`;
  return `${Math.floor(s / 3600)}h${String(Math.round((s % 3600) / 60)).padStart(2, "0")}m`;
}
