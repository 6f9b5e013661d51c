import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { runPersistentDemo } from "../src/demo-persistent.js";

/** The lines of the first two runs in a fresh folder. */
async function firstTwoRuns(dir: string): Promise<string[]> {
  const lines: string[] = [];
  await runPersistentDemo((l) => lines.push(l), dir);
  await runPersistentDemo((l) => lines.push(l), dir);
  return lines;
}

describe("the demo's persistent workflow (PGlite in a folder)", () => {
  const dir = mkdtempSync(join(tmpdir(), "ruleflow-demo-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  /** The first test's first two runs, in its fresh folder: one of the second test's two folders (a new PGlite folder costs seconds). */
  let firstFolder: string[] | undefined;

  it("starts an instance on the first run, continues it on the second, and reports it finished after that", async () => {
    const first: string[] = [];
    expect(await runPersistentDemo((l) => first.push(l), dir)).toBe("started");
    expect(first.join("\n")).toContain("started demo-q1: contract of 1,250,000 goes to countersign, waiting for user:chen, user:lu, user:ma");
    expect(first.join("\n")).toContain("demo-q1: running, version 1; audit: start");

    const second: string[] = [];
    expect(await runPersistentDemo((l) => second.push(l), dir)).toBe("continued");
    const text = second.join("\n");
    expect(text).toContain("found demo-q1 from the previous run (version 1, running, waiting for user:chen, user:lu, user:ma)");
    expect(text).toContain("demo-q1: completed, approved, version 4; audit: start, approve by user:ma, approve by user:chen, approve by user:lu");
    expect(text).toContain("notified: onboarding-pack → user:ob");
    firstFolder = [...first, ...second];

    const third: string[] = [];
    expect(await runPersistentDemo((l) => third.push(l), dir)).toBe("finished-earlier");
    expect(third.join("\n")).toContain("demo-q1 finished on an earlier run");
  }, 120_000);

  it("prints the same lines on every machine: two fresh folders, the same output", async () => {
    const fresh = async (): Promise<string[]> => {
      const other = mkdtempSync(join(tmpdir(), "ruleflow-demo-"));
      try {
        return await firstTwoRuns(other);
      } finally {
        rmSync(other, { recursive: true, force: true });
      }
    };
    const a = firstFolder ?? (await fresh()); // run alone (-t), this test makes both folders itself
    const b = await fresh();
    expect(a.length).toBeGreaterThan(0);
    expect(a).toEqual(b);
  }, 180_000);
});
