import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, readdirSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const bin = join(dirname(fileURLToPath(import.meta.url)), "..", "bin", "vesicle.js");
const env = { ...process.env, CI: "true" };

/** Completed members of a sweep dir, by reading their run.json files. */
function completed(dir: string): string[] {
  const members = join(dir, "members");
  if (!existsSync(members)) return [];
  return readdirSync(members).filter((id) => {
    try {
      return JSON.parse(readFileSync(join(members, id, "run.json"), "utf8")).status === "complete";
    } catch {
      return false;
    }
  });
}

describe("vesicle sweep, end to end", () => {
  it("survives kill -9 midway: resume finishes the rest and never touches a completed member", async () => {
    const dir = join(mkdtempSync(join(tmpdir(), "vesicle-sweep-")), "s");
    const grid = ["--mechanisms", "calcium-efflux", "--c", "0.01,1,100", "--epochs", "2", "--train-subset", "400", "--eval-samples", "2", "--backend", "tfjs-wasm", "--workers", "1"];
    const child = spawn(process.execPath, [bin, "sweep", "--out", dir, ...grid], { env, stdio: "ignore" });
    const deadline = Date.now() + 90_000;
    while (completed(dir).length < 1 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    child.kill("SIGKILL");
    await new Promise((r) => child.once("exit", r));
    const before = completed(dir);
    expect(before.length).toBeGreaterThanOrEqual(1);
    expect(before.length).toBeLessThan(6);
    const snapshot = new Map(before.map((id) => {
      const f = join(dir, "members", id, "run.json");
      return [id, { text: readFileSync(f, "utf8"), mtime: statSync(f).mtimeMs }];
    }));

    const r = spawnSync(process.execPath, [bin, "sweep", "--resume", dir], { env, encoding: "utf8", timeout: 120_000 });
    expect(r.stderr + r.stdout).toMatch(new RegExp(`${before.length} complete`));
    expect(r.status).toBe(0);
    expect(completed(dir).sort()).toHaveLength(6);
    for (const [id, s] of snapshot) {
      const f = join(dir, "members", id, "run.json");
      expect(readFileSync(f, "utf8")).toBe(s.text);
      expect(statSync(f).mtimeMs).toBe(s.mtime);
    }
    const csv = readFileSync(join(dir, "results.csv"), "utf8").trim().split(/\r?\n/);
    expect(csv).toHaveLength(7);
    expect(csv[0]).toMatch(/^mechanism,rho,c,noise,seed,epochs,accuracy_mean/);

    const again = spawnSync(process.execPath, [bin, "sweep", "--resume", dir], { env, encoding: "utf8", timeout: 60_000 });
    expect(again.stdout).toMatch(/6\/6 members complete \(0 now/);

    const figs = spawnSync(process.execPath, [bin, "figures", "fig2", "fig3", "--sweep", dir], { env, encoding: "utf8", timeout: 60_000 });
    expect(figs.status).toBe(0);
    for (const f of ["fig2.svg", "fig2.png", "fig3.svg", "fig3.png"]) expect(existsSync(join(dir, "figures", f))).toBe(true);
    const refuse = spawnSync(process.execPath, [bin, "figures", "fig2", "--sweep", dir], { env, encoding: "utf8", timeout: 60_000 });
    expect(refuse.status).toBe(1);
    expect(refuse.stderr).toMatch(/already exist; pass --overwrite/);
  });

  it("rejects an empty grid and c ≤ 0 before doing anything", () => {
    const dir = join(mkdtempSync(join(tmpdir(), "vesicle-sweep-")), "s");
    const zero = spawnSync(process.execPath, [bin, "sweep", "--out", dir, "--c", "0,1"], { env, encoding: "utf8" });
    expect(zero.status).toBe(1);
    expect(zero.stderr).toMatch(/c/);
    expect(existsSync(dir)).toBe(false);
  });
});
