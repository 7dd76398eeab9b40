/**
 * How a finished run is printed.
 */
import type { RunRecord } from "@vesicle/core";

export function formatRecord(record: RunRecord, runDir: string): string {
  const f = record.final;
  if (!f) return `run in ${runDir}: ${record.status}`;
  const pct = (x: number) => `${(100 * x).toFixed(2)}%`;
  const rows: [string, string][] = [
    ["test accuracy, mean weights", pct(f.accuracyMean)],
    ["test accuracy, one weight sample", pct(f.accuracySample)],
    [`test accuracy, ${record.spec.training.evalSamples}-sample predictive`, pct(f.accuracyExpected)],
    ["test NLL (predictive, per example)", f.testNll.toFixed(4)],
    ["σ mean / RMS over synapses", `${f.sigmaMean.toExponential(3)} / ${f.sigmaRms.toExponential(3)}`],
    ["reliability cost (s = 1)", f.reliabilityCostS1.toExponential(4)],
    ["magnitude cost", f.magnitudeCost.toExponential(4)],
    ["training time", `${record.trainingSeconds.toFixed(1)} s`],
  ];
  const w = Math.max(...rows.map(([k]) => k.length));
  return [`run complete: ${runDir}`, ...rows.map(([k, v]) => `  ${k.padEnd(w)}  ${v}`)].join("\n");
}
