/** Every command loads definition files the same way (src/registry.ts): one document or an array, and one message for a refused document. */
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { main } from "../src/main.js";

const here = dirname(fileURLToPath(import.meta.url));
const examples = join(here, "..", "..", "examples");
const defs = join(examples, "definitions");

async function run(argv: string[], stdin = ""): Promise<{ code: number; out: string; err: string }> {
  let out = "";
  let err = "";
  const code = await main(argv, { out: (t) => (out += t), err: (t) => (err += t), stdin: () => stdin });
  return { code, out, err };
}

function tmp(name: string, content: unknown): string {
  const file = join(mkdtempSync(join(tmpdir(), "ruleflow-registry-")), name);
  writeFileSync(file, typeof content === "string" ? content : JSON.stringify(content));
  return file;
}

/** A rule set with two problems: a bad operator and a broken expression. */
const broken = { kind: "ruleset", id: "broken", version: 1, rules: [{ id: "r", when: { all: [{ fact: "a", op: "bogus", value: 1 }] }, then: { x: { expr: "order.amount *" } } }] };

describe("one registry loader for every command", () => {
  it("evaluate, report and settle --definitions refuse a bad definition with the same line", async () => {
    const bad = tmp("bad.json", [broken]);
    const expected = `ruleflow %s: ${bad}: invalid definition: rules[0].when.all[0].op: expected one of `;
    const more = `(and 1 more; run ruleflow validate ${bad})\n`;
    const evaluate = await run(["evaluate", bad, "--facts", "-"], "{}");
    const report = await run(["report", bad, "--data", "-"], "");
    const settle = await run(["settle", join(defs, "distributor-rebate.v4.rebate.json"), "--orders", "-", "--period", "2026-02", "--definitions", bad], "");
    for (const [name, r] of [["evaluate", evaluate], ["report", report], ["settle", settle]] as const) {
      expect(r.code, name).toBe(1);
      expect(r.err.startsWith(expected.replace("%s", name)), `${name}: ${r.err}`).toBe(true);
      expect(r.err.endsWith(more), `${name}: ${r.err}`).toBe(true);
    }
  });

  it("several --definitions files make one registry; a refusal names them all", async () => {
    const table = join(defs, "rebate-rate.decision-table.json");
    const again = tmp("again.json", [broken]);
    const r = await run(["settle", join(defs, "distributor-rebate.v4.rebate.json"), "--orders", "-", "--period", "2026-02", "--definitions", table, "--definitions", again], "");
    expect(r.code).toBe(1);
    expect(r.err).toContain(`${table}, ${again}: invalid definition: `);
  });

  it("a file holding one document or an array of them reads the same", async () => {
    const rollout = join(defs, "renewal-incentive-pilot.rollout.json");
    const events = join(examples, "data", "renewal-pilot.events.jsonl");
    const asArray = tmp("pilot-array.json", [JSON.parse(readFileSync(rollout, "utf8"))]);
    const one = await run(["report", rollout, "--data", events, "--format", "json", "--at", "2026-04-01T00:00:00+08:00"]);
    const many = await run(["report", asArray, "--data", events, "--format", "json", "--at", "2026-04-01T00:00:00+08:00"]);
    expect(one.code).toBe(0);
    expect(many.out).toBe(one.out);
  });
});
