/** Axis labels shared by Figs. 2 and 3, with units; `SHORT_LABELS` are used when a panel is too narrow. */
export const LABELS = {
  c: "Cost multiplier c (dimensionless)",
  accuracy: "Test accuracy (%)",
  sigma: "RMS PSP s.d. σ (weight units)",
  reliabilityCost: "Reliability cost, s = 1 (a.u.)",
} as const;

export const SHORT_LABELS = {
  c: "c (dimensionless)",
  accuracy: "Accuracy (%)",
  sigma: "σ (weight units)",
  reliabilityCost: "Cost, s = 1 (a.u.)",
} as const;
