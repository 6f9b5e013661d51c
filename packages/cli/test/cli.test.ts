import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { main } from "../src/main.js";

const here = dirname(fileURLToPath(import.meta.url));
const defs = join(here, "..", "..", "examples", "definitions");
const factsDir = join(here, "..", "..", "examples", "facts");
const bin = join(here, "..", "dist", "cli.js");

async function run(argv: string[], stdin = ""): Promise<{ code: number; out: string; err: string }> {
  let out = "";
  let err = "";
  const code = await main(argv, { out: (t) => (out += t), err: (t) => (err += t), stdin: () => stdin });
  return { code, out, err };
}

function tmp(name: string, content: unknown): string {
  const dir = mkdtempSync(join(tmpdir(), "ruleflow-cli-"));
  const file = join(dir, name);
  writeFileSync(file, typeof content === "string" ? content : JSON.stringify(content));
  return file;
}

describe("ruleflow validate", () => {
  it("exits 0 when every file is valid", async () => {
    const r = await run(["validate", join(defs, "contract-auto-approval.ruleset.json"), join(defs, "rebate-rate.decision-table.json")]);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/contract-auto-approval.ruleset.json: ok/);
  });

  it("prints every problem as file: path: message and exits 1", async () => {
    const file = tmp("bad.json", {
      kind: "ruleset",
      id: "bad",
      version: 1,
      rules: [{ id: "r", when: { all: [{ fact: "a", op: "bogus", value: 1 }] }, then: { x: { expr: "order.amount *" } } }],
    });
    const r = await run(["validate", file]);
    expect(r.code).toBe(1);
    const lines = r.err.trim().split("\n");
    expect(lines).toHaveLength(2);
    expect(lines[0]).toBe(`${file}: rules[0].when.all[0].op: expected one of eq, ne, gt, gte, lt, lte, in, notIn, contains, notContains, between, exists, startsWith, endsWith, before, after, withinLast, got "bogus"`);
    expect(lines[1]).toMatch(new RegExp(`^${file.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}: rules\\[0\\]\\.then\\.x\\.expr: syntax error`));
  });

  it("reports unreadable files and invalid JSON in one line each", async () => {
    const notJson = tmp("x.json", "{ nope");
    const r = await run(["validate", "/nonexistent/def.json", notJson]);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/\/nonexistent\/def.json: cannot read file \(no such file\)/);
    expect(r.err).toMatch(/x.json: not valid JSON/);
  });
});

describe("ruleflow evaluate", () => {
  it("prints one JSON object with the result, the deciding id and version, and the trace", async () => {
    const r = await run([
      "evaluate",
      join(defs, "contract-auto-approval.ruleset.json"),
      "--facts",
      join(factsDir, "contract-large.json"),
      "--at",
      "2026-02-01T09:00:00+08:00",
    ]);
    expect(r.code).toBe(0);
    const result = JSON.parse(r.out);
    expect(result).toMatchObject({ kind: "ruleset", id: "contract-auto-approval", version: 3, output: { decision: "manual" } });
    expect(result.at).toBe("2026-02-01T01:00:00.000Z");
    expect(result.trace.rules[0].condition.children[0]).toMatchObject({ fact: "contract.amount", actual: 1250000, expected: 500000, passed: false });
  });

  it("reads facts from standard input with --facts -", async () => {
    const r = await run(
      ["evaluate", join(defs, "rebate-rate.decision-table.json"), "--facts", "-", "--at", "2026-03-01T00:00:00Z", "--no-trace"],
      JSON.stringify({ customer: { tier: "B", paymentRate90d: 0.9 } }),
    );
    expect(r.code).toBe(0);
    const result = JSON.parse(r.out);
    expect(result.output).toEqual({ rate: "0.08" });
    expect(result.trace).toBeUndefined();
  });

  it("picks the version effective at --at from a file of versions", async () => {
    const base = { kind: "ruleset", id: "v", rules: [{ id: "r", then: {} }] };
    const file = tmp("versions.json", [
      { ...base, version: 1, effective: { to: "2026-03-01T00:00:00Z" }, rules: [{ id: "old", then: { rate: 1 } }] },
      { ...base, version: 2, effective: { from: "2026-03-01T00:00:00Z" }, rules: [{ id: "new", then: { rate: 2 } }] },
    ]);
    const factsFile = tmp("f.json", {});
    const before = JSON.parse((await run(["evaluate", file, "--facts", factsFile, "--at", "2026-02-28T23:59:59Z"])).out);
    const after = JSON.parse((await run(["evaluate", file, "--facts", factsFile, "--at", "2026-03-01T00:00:00Z"])).out);
    expect([before.version, before.output.rate]).toEqual([1, 1]);
    expect([after.version, after.output.rate]).toEqual([2, 2]);
  });

  it("gives a one-line error and exit 1 for bad input, never a stack trace", async () => {
    const factsFile = tmp("f.json", {});
    const cases: string[][] = [
      ["evaluate", join(defs, "contract-auto-approval.ruleset.json")],
      ["evaluate", join(defs, "contract-auto-approval.ruleset.json"), "--facts", factsFile, "--at", "yesterday"],
      ["evaluate", join(defs, "fmcg-display-precheck.ruleset.json"), "--facts", factsFile, "--at", "2027-01-01T00:00:00Z"],
      ["evaluate", tmp("bad.json", { kind: "ruleset", id: "b", version: 1, rules: [] }), "--facts", factsFile],
      ["evaluate", "--unknown-flag"],
    ];
    for (const argv of cases) {
      const r = await run(argv);
      expect(r.code, argv.join(" ")).toBe(1);
      expect(r.err, argv.join(" ")).not.toMatch(/\n\s+at /);
      expect(r.err.trim().split("\n")[0], argv.join(" ")).toMatch(/^ruleflow evaluate: /);
    }
  });
});

describe("the ruleflow binary", () => {
  it("runs as a process (built by the test command) with the documented exit codes", () => {
    expect(existsSync(bin), `${bin} is missing: run the build first`).toBe(true);
    const ok = spawnSync(process.execPath, [bin, "validate", join(defs, "first-order-points.ruleset.json")], { encoding: "utf8" });
    expect(ok.status).toBe(0);
    const bad = spawnSync(process.execPath, [bin, "evaluate", "/nonexistent.json", "--facts", "/nonexistent.json"], { encoding: "utf8" });
    expect(bad.status).toBe(1);
    expect(bad.stderr.trim().split("\n")).toHaveLength(1);
  });
});

describe("ruleflow validate --locale", () => {
  const bad = { kind: "ruleset", id: "bad", version: 1, rules: [{ id: "r", when: { fact: "a", op: "bogus", value: 1 }, then: {}, colour: 1 }] };

  it("writes the messages in Chinese with --locale zh-CN, paths unchanged", async () => {
    const file = tmp("bad.json", bad);
    const r = await run(["validate", "--locale", "zh-CN", file]);
    expect(r.code).toBe(1);
    const lines = r.err.trim().split("\n");
    expect(lines[0]).toMatch(/bad\.json: rules\[0\]\.when\.op: 应为 eq、ne、gt、.*之一，实际为 "bogus"$/);
    expect(lines[1]).toMatch(/bad\.json: rules\[0\]\.colour: 未知字段；请检查拼写或删除$/);
    const eq = await run(["validate", `--locale=zh`, file]);
    expect(eq.err).toBe(r.err);
  });

  it("keeps English by default and refuses an unknown locale", async () => {
    const file = tmp("bad.json", bad);
    const r = await run(["validate", file]);
    expect(r.err).toMatch(/rules\[0\]\.when\.op: expected one of eq, ne, gt, .*, got "bogus"\n/);
    const fr = await run(["validate", "--locale", "fr", file]);
    expect(fr.code).toBe(1);
    expect(fr.err).toBe('locale: expected one of en, zh-CN, got "fr"\n');
    expect((await run(["validate", "--locale"])).err).toMatch(/--locale needs a value/);
  });
});
