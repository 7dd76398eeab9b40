import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { readCheckpoint, serialiseCheckpoint, writeCheckpoint } from "./checkpoint.js";
import { zeroAdamState } from "./optimiser.js";
import { initialParameters } from "./parameters.js";
import { defineExperiment } from "./spec.js";

const spec = defineExperiment({ network: { layers: [4, 3, 2] } });

describe("checkpoints", () => {
  it("round-trips parameters and optimiser state bit for bit", () => {
    const parameters = initialParameters(spec.network, 5);
    const optimiser = { ...zeroAdamState(parameters), step: 12 };
    optimiser.mMu[3] = 0.25;
    const path = join(mkdtempSync(join(tmpdir(), "vesicle-ckpt-")), "c.json");
    writeCheckpoint(path, { spec, epoch: 2, parameters, optimiser, metrics: [] });
    const back = readCheckpoint(path);
    expect(back.parameters.mu).toEqual(parameters.mu);
    expect(back.parameters.phi).toEqual(parameters.phi);
    expect(back.optimiser.step).toBe(12);
    expect(back.optimiser.mMu[3]).toBe(0.25);
    expect(back.epoch).toBe(2);
  });

  it("rejects unreadable, foreign and future files with a clear message", () => {
    const dir = mkdtempSync(join(tmpdir(), "vesicle-ckpt-"));
    const parameters = initialParameters(spec.network, 5);
    const good = serialiseCheckpoint({ spec, epoch: 0, parameters, optimiser: zeroAdamState(parameters), metrics: [] });
    const write = (name: string, text: string) => {
      writeFileSync(join(dir, name), text);
      return join(dir, name);
    };
    expect(() => readCheckpoint(join(dir, "missing.json"))).toThrow(/cannot read checkpoint .*ENOENT/);
    expect(() => readCheckpoint(write("trunc.json", JSON.stringify(good).slice(0, 100)))).toThrow(/not valid JSON.*corrupt or truncated/);
    expect(() => readCheckpoint(write("other.json", JSON.stringify({ hello: 1 })))).toThrow(/not a vesicle checkpoint/);
    expect(() => readCheckpoint(write("future.json", JSON.stringify({ ...good, version: 99 })))).toThrow(/checkpoint version 99 is not supported/);
    const wrongSize = { ...good, parameters: { ...(good as any).parameters, mu: "AAAAAA==" } };
    expect(() => readCheckpoint(write("size.json", JSON.stringify(wrongSize)))).toThrow(/do not match its network/);
  });
});
