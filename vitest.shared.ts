import { defineConfig } from "vitest/config";

// Every package's tests: beside the code, and counts in test-results.json, which .ci/run sums
// into one closing line.
export default defineConfig({
  test: {
    include: ["src/**/*.test.ts"],
    reporters: ["default", ["json", { outputFile: "test-results.json" }]],
    testTimeout: 120_000,
    passWithNoTests: true,
  },
});
