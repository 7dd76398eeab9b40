/** Axis labels shared by Figs. 2 and 3 (units in parentheses; c and accuracy-free quantities are dimensionless). */
export const LABELS = {
  c: "Cost multiplier c (dimensionless)",
  accuracy: "Test accuracy (%)",
  sigma: "RMS PSP s.d. σ (weight units)",
  reliabilityCost: "Reliability cost, s = 1 (a.u.)",
} as const;
