#!/usr/bin/env node
// Sums the vitest JSON reports of every package into the one closing line CI reads:
// "N passed, N failed" (plus skipped). A test file that failed to load counts as one failure,
// and so does a package whose report is missing.
import { existsSync, readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";

let passed = 0;
let failed = 0;
let skipped = 0;
for (const pkg of readdirSync("packages")) {
  const report = join("packages", pkg, "test-results.json");
  if (!existsSync(report)) {
    console.log(`${pkg}: no test report (its tests did not run)`);
    failed++;
    continue;
  }
  const r = JSON.parse(readFileSync(report, "utf8"));
  const unloaded = r.testResults.filter((f) => f.status === "failed" && f.assertionResults.length === 0).length;
  passed += r.numPassedTests;
  failed += r.numFailedTests + unloaded;
  skipped += r.numPendingTests + (r.numTodoTests ?? 0);
  console.log(`${pkg}: ${r.numPassedTests} passed, ${r.numFailedTests} failed${unloaded ? `, ${unloaded} test files failed to load` : ""}`);
}
console.log(`${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exitCode = failed > 0 ? 1 : 0;
