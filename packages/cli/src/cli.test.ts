import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync, existsSync, copyFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { IDX_FILES } from "@vesicle/core";
import { embeddedMnistDir } from "./data.js";

const bin = join(dirname(fileURLToPath(import.meta.url)), "..", "bin", "vesicle.js");

/** Runs the built CLI as a user would; returns exit code and output. */
function vesicle(...args: string[]) {
  const r = spawnSync(process.execPath, [bin, ...args], { encoding: "utf8", env: { ...process.env, CI: "true" }, timeout: 120_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const tmp = () => mkdtempSync(join(tmpdir(), "vesicle-cli-"));

/** An IDX directory made of the real MNIST test files, with one file replaced by `bad`. */
function idxDirWith(file: string, bad: Uint8Array): string {
  const dir = tmp();
  // the 10k test files stand in for both splits: small and valid
  for (const f of Object.values(IDX_FILES)) copyFileSync(join(embeddedMnistDir(), f.replace("train", "t10k")), join(dir, f));
  writeFileSync(join(dir, file), bad);
  return dir;
}

describe("vesicle train: bad input gets one clear message and a non-zero exit", () => {
  it.each([
    [["--c", "-1"], /parameter "c" must be a finite number ≥ 0, got -1/],
    [["--rho", "0"], /parameter "rho" must be .*got 0/],
    [["--rho", "-2", "--c", "1"], /"rho" must be .*got -2/],
    [["--batch-size", "0"], /batch size must be a positive integer, got 0/],
    [["--lr", "NaN"], /--lr must be a finite number, got "NaN"/],
    [["--c", "abc"], /--c must be a finite number, got "abc"/],
    [["--mechanism", "telepathy"], /--mechanism must be one of calcium-efflux, .*got "telepathy"/],
    [["--backend", "abacus"], /--backend must be one of .*fused.*; got "abacus"|--backend must be one of .*tfjs-cpu; got "abacus"/],
    [["--mechanism", "actin", "--rho", "1"], /give --mechanism or --rho, not both/],
    [["--epochs"], /--epochs needs a value/],
    [["--colour", "red"], /unknown option --colour/],
  ])("%j", (args, message) => {
    const r = vesicle("train", ...args, "--out", join(tmp(), "run"));
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).not.toMatch(/\n\s+at /); // no stack trace
  });

  it("rejects a truncated IDX file, naming it", () => {
    const images = readFileSync(join(embeddedMnistDir(), IDX_FILES.testImages));
    const dir = idxDirWith(IDX_FILES.trainImages, images.subarray(0, 5000));
    const r = vesicle("train", "--data", dir, "--backend", "tfjs-cpu", "--out", join(tmp(), "run"));
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/train-images-idx3-ubyte: not a valid IDX file: truncated/);
  });

  it("rejects a wrong magic number", () => {
    const bytes = new Uint8Array(readFileSync(join(embeddedMnistDir(), IDX_FILES.testLabels)));
    bytes[2] = 0x0b;
    const r = vesicle("train", "--data", idxDirWith(IDX_FILES.trainLabels, bytes), "--backend", "tfjs-cpu", "--out", join(tmp(), "run"));
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/train-labels-idx1-ubyte: not a valid IDX file: data type 0x0b/);
  });

  it("rejects image and label counts that disagree", () => {
    const labels = new Uint8Array(readFileSync(join(embeddedMnistDir(), IDX_FILES.testLabels)));
    const short = labels.slice(0, 8 + 9000);
    new DataView(short.buffer).setUint32(4, 9000, false);
    const r = vesicle("train", "--data", idxDirWith(IDX_FILES.trainLabels, short), "--backend", "tfjs-cpu", "--out", join(tmp(), "run"));
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/10000 images but 9000 labels/);
  });

  it("never touches an existing run dir", () => {
    const dir = tmp();
    writeFileSync(join(dir, "run.json"), "precious");
    const r = vesicle("train", "--out", dir, "--backend", "tfjs-cpu", "--epochs", "1", "--train-subset", "40");
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/already exists and is not empty/);
    expect(readFileSync(join(dir, "run.json"), "utf8")).toBe("precious");
  });

  it("reports an unreadable checkpoint when resuming", () => {
    const dir = tmp();
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, "run.json"), JSON.stringify({ format: "vesicle-run", version: 1, status: "running", spec: JSON.parse(vesicleSpec()) }));
    writeFileSync(join(dir, "checkpoint.json"), '{"format": "vesicle-checkpoint", "vers');
    const r = vesicle("train", "--resume", dir);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/checkpoint .*checkpoint\.json is not valid JSON/);
    expect(existsSync(join(dir, "checkpoint.json"))).toBe(true);
  });
});

/** A valid spec as JSON (the defaults, on the tfjs-cpu backend). */
function vesicleSpec(): string {
  return JSON.stringify({
    network: { layers: [784, 100, 100, 10], activation: "relu", likelihood: { kind: "categorical" }, noise: "heterogeneous", muInitRange: 0.1, sigmaInit: 1e-4 },
    optimiser: { kind: "adam", learningRate: 5e-4, beta1: 0.9, beta2: 0.999, epsilon: 1e-8 },
    objective: { reliability: [{ name: "calcium-efflux", params: { c: 0.01 } }], magnitude: [{ name: "l1", params: { lambda: 1e-4 } }] },
    training: { epochs: 1, batchSize: 20, seed: 0, evalSamples: 20 },
    data: { source: "mnist" },
    backend: "tfjs-cpu",
  });
}

describe("vesicle --help", () => {
  it("lists commands, and each command's options from its table", () => {
    expect(vesicle("--help").stdout).toMatch(/train .*Train one stochastic-synapse network/);
    const help = vesicle("train", "--help").stdout;
    for (const o of ["--mechanism", "--rho", "--c", "--noise", "--epochs", "--batch-size", "--lr", "--seed", "--backend", "--data", "--out"]) expect(help).toContain(o);
  });
});
