/**
 * `ruleflow test`: finding suites in files and folders, ✓/✗ per case, a
 * failure's expected against actual and what decided, JUnit XML (parsed
 * here), coverage numbers against a hand count, --min-coverage exit codes,
 * Chinese output.
 */
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { main } from "../src/main.js";

const here = dirname(fileURLToPath(import.meta.url));
const examples = join(here, "..", "..", "examples");
const tests = join(examples, "tests");
const defs = join(examples, "definitions");

async function run(argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = "";
  let err = "";
  const code = await main(argv, { out: (t) => (out += t), err: (t) => (err += t), stdin: () => "" });
  return { code, out, err };
}

/** A temporary folder holding one suite file. */
function suiteFile(suite: Record<string, unknown>, name = "s.test-suite.json"): string {
  const dir = mkdtempSync(join(tmpdir(), "ruleflow-test-"));
  const file = join(dir, name);
  writeFileSync(file, JSON.stringify(suite));
  return file;
}

const failing = {
  kind: "test-suite",
  id: "rate-checks",
  at: "2026-03-01T00:00:00+08:00",
  definitions: [join(defs, "rebate-rate.decision-table.json")],
  cases: [
    { name: "A new line", definition: "rebate-rate", facts: { customer: { tier: "A", paymentRate90d: 0.97 }, order: { productLine: "new" } }, expect: { output: { rate: "0.125" } } },
    { name: "B at 95%", definition: "rebate-rate", facts: { customer: { tier: "B", paymentRate90d: 0.95 }, order: { productLine: "core" } }, expect: { output: { rate: "0.09" }, matched: ["b-good-payer"] } },
  ],
};

/** A small XML reader: elements with attributes and text, refusing what is not well-formed. */
interface XmlNode {
  name: string;
  attrs: Record<string, string>;
  children: XmlNode[];
  text: string;
}
function parseXml(xml: string): XmlNode {
  const body = xml.replace(/^<\?xml [^?]*\?>\s*/, "");
  const decode = (s: string): string => {
    expect(s, "every & starts an entity").not.toMatch(/&(?!(amp|lt|gt|quot|apos);)/);
    return s.replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&amp;/g, "&");
  };
  const stack: XmlNode[] = [{ name: "#doc", attrs: {}, children: [], text: "" }];
  const tag = /<(\/?)([A-Za-z_][\w.-]*)((?:\s+[A-Za-z_][\w.-]*="[^"<]*")*)\s*(\/?)>|([^<]+)/gy;
  let m: RegExpExecArray | null;
  let at = 0;
  while ((m = tag.exec(body))) {
    at = tag.lastIndex;
    if (m[5] !== undefined) {
      stack.at(-1)!.text += decode(m[5]);
      continue;
    }
    const [, close, name, attrText, selfClose] = m;
    if (close) {
      const open = stack.pop()!;
      expect(open.name, "closing tag matches").toBe(name);
      continue;
    }
    const attrs = Object.fromEntries([...attrText!.matchAll(/([A-Za-z_][\w.-]*)="([^"]*)"/g)].map((a) => [a[1]!, decode(a[2]!)]));
    const node: XmlNode = { name: name!, attrs, children: [], text: "" };
    stack.at(-1)!.children.push(node);
    if (!selfClose) stack.push(node);
  }
  expect(at, "the whole document was read").toBe(body.length);
  expect(stack).toHaveLength(1);
  const roots = stack[0]!.children;
  expect(roots).toHaveLength(1);
  return roots[0]!;
}

describe("ruleflow test", () => {
  it("runs every suite in a folder, prints ✓ per case and exits 0", async () => {
    const r = await run(["test", tests]);
    expect(r.err).toBe("");
    expect(r.code).toBe(0);
    expect(r.out).toContain("contract-auto-approval-tests: 3/3 cases passed\n  ✓ small contract, credit A: approved without review (contract-auto-approval v3)");
    expect(r.out).toContain("rebate-rate-tests: 5/5 cases passed");
    expect(r.out).toContain("customer-qualification-tests: 3/3 cases passed");
    expect(r.out).toContain("spring-case-discount-tests: 4/4 cases passed");
    expect(r.out.trimEnd().split("\n").at(-1)).toBe("15 passed, 0 failed");
  });

  it("finds a suite by its kind in a file not named *.test-suite.json, and ignores other JSON", async () => {
    const file = suiteFile({ ...failing, cases: [failing.cases[0]] }, "plain.json");
    writeFileSync(join(dirname(file), "other.json"), JSON.stringify({ kind: "ruleset", note: "test-suite" }));
    writeFileSync(join(dirname(file), "broken.json"), "{ not json");
    const r = await run(["test", dirname(file)]);
    expect(r.code).toBe(0);
    expect(r.out).toContain("rate-checks: 1/1 cases passed");
  });

  it("a failure prints expected against actual and the rule that decided, and exits 1", async () => {
    const r = await run(["test", suiteFile(failing)]);
    expect(r.code).toBe(1);
    expect(r.out).toBe(
      [
        "rate-checks: 1/2 cases passed",
        "  ✓ A new line (rebate-rate v2)",
        "  ✗ B at 95% (rebate-rate v2)",
        "      output.rate",
        '        expected: "0.09"',
        '        actual:   "0.08"',
        "      decided by: rules[2] (b-good-payer)",
        "1 passed, 1 failed",
        "",
      ].join("\n"),
    );
    expect(r.err).toMatch(/ruleflow test: .*s\.test-suite\.json: 1 of 2 cases failed\n$/);
  });

  it("--locale zh-CN writes the report in Chinese", async () => {
    const r = await run(["test", suiteFile(failing), "--locale", "zh-CN"]);
    expect(r.out).toContain("rate-checks：1/2 个用例通过");
    expect(r.out).toContain('        期望: "0.09"');
    expect(r.out).toContain("      决定于: rules[2] (b-good-payer)");
  });

  it("--reporter junit writes well-formed JUnit XML to stdout, the text to stderr", async () => {
    const r = await run(["test", suiteFile(failing), join(tests, "contract-auto-approval.test-suite.json"), "--reporter", "junit"]);
    expect(r.code).toBe(1);
    expect(r.err).toContain("✗ B at 95%");
    const root = parseXml(r.out);
    expect(root.name).toBe("testsuites");
    expect(root.attrs).toMatchObject({ tests: "5", failures: "1", errors: "0" });
    expect(root.children.map((s) => [s.name, s.attrs["name"], s.attrs["tests"], s.attrs["failures"]])).toEqual([
      ["testsuite", "rate-checks", "2", "1"],
      ["testsuite", "contract-auto-approval-tests", "3", "0"],
    ]);
    const failed = root.children[0]!.children[1]!;
    expect(failed.attrs).toEqual({ name: "B at 95%", classname: "rate-checks.rebate-rate" });
    expect(failed.children[0]!.name).toBe("failure");
    expect(failed.children[0]!.attrs["message"]).toBe("output.rate");
    expect(failed.children[0]!.text).toContain('expected: "0.09"');
    expect(failed.children[0]!.text).toContain("decided by: rules[2] (b-good-payer)");
    expect(root.children[1]!.children.every((c) => c.children.length === 0)).toBe(true);
  });

  it("--reporter junit --output writes the XML to a file and the text to stdout", async () => {
    const out = join(mkdtempSync(join(tmpdir(), "ruleflow-junit-")), "junit.xml");
    const r = await run(["test", join(tests, "rebate-rate.test-suite.json"), "--reporter", "junit", "--output", out]);
    expect(r.code).toBe(0);
    expect(r.out).toContain("rebate-rate-tests: 5/5 cases passed");
    expect(parseXml(readFileSync(out, "utf8")).attrs).toMatchObject({ tests: "5", failures: "0" });
  });

  it("--coverage prints what no case reached; the numbers are those counted by hand", async () => {
    // customer-qualification: 4 nodes + 4 edges (routes auto-approve, manual; onApprove, onReject) + 3 escalation steps = 11;
    // the three cases reach auto-check, countersign, approved, both routes, onApprove and the first escalation step = 7
    const r = await run(["test", join(tests, "customer-qualification.test-suite.json"), "--coverage"]);
    expect(r.code).toBe(0);
    expect(r.out).toContain(
      [
        "Coverage",
        "  customer-qualification v1 (workflow): 63.6% (7/11)",
        "    - not reached: node nodes.rejected (rejected)",
        "    - not reached: edge nodes.countersign.onReject (countersign → rejected)",
        "    - not reached: escalation nodes.countersign.escalation[1] (countersign: escalate)",
        "    - not reached: escalation nodes.countersign.escalation[2] (countersign: auto-reject)",
        "  total: 63.6% (7/11)",
        "  not named by any case: contract-auto-approval v3",
      ].join("\n"),
    );
  });

  it("--coverage-format json prints the coverage as JSON on stdout, merged over suites", async () => {
    const r = await run(["test", tests, "--coverage-format", "json"]);
    expect(r.code).toBe(0);
    expect(r.err).toContain("15 passed, 0 failed");
    const body = JSON.parse(r.out) as { suites: { suite: string }[]; total: { reached: number; total: number; percent: number; definitions: { id: string; reached: number; total: number }[]; untested: unknown[] } };
    expect(body.suites.map((s) => s.suite)).toEqual(["contract-auto-approval-tests", "customer-qualification-tests", "rebate-rate-tests", "spring-case-discount-tests"]);
    // rule set 2/2, workflow 7/11, table 5/5, promotion 1/1
    expect(body.total.definitions.map((d) => [d.id, d.reached, d.total])).toEqual([
      ["contract-auto-approval", 2, 2],
      ["customer-qualification", 7, 11],
      ["rebate-rate", 5, 5],
      ["spring-case-discount", 1, 1],
    ]);
    expect(body.total).toMatchObject({ reached: 15, total: 19, percent: 78.9, untested: [] });
  });

  it("--min-coverage exits 1 below the minimum and 0 at or above it", async () => {
    const file = join(tests, "customer-qualification.test-suite.json");
    const below = await run(["test", file, "--min-coverage", "90"]);
    expect(below.code).toBe(1);
    expect(below.err).toBe("ruleflow test: coverage 63.6% is below the minimum 90%\n");
    // 7/11 is 63.636...%: 63.6 passes, 63.7 does not
    expect((await run(["test", file, "--min-coverage", "63.6"])).code).toBe(0);
    expect((await run(["test", file, "--min-coverage", "63.7"])).code).toBe(1);
    expect((await run(["test", join(tests, "rebate-rate.test-suite.json"), "--min-coverage", "100"])).code).toBe(0);
    const bad = await run(["test", file, "--min-coverage", "abc"]);
    expect(bad.code).toBe(1);
    expect(bad.err).toContain('--min-coverage: expected a percentage from 0 to 100, got "abc"');
  });

  it("reports bad input on one line: no suites, a missing path, a case naming an unknown definition", async () => {
    const empty = mkdtempSync(join(tmpdir(), "ruleflow-empty-"));
    mkdirSync(join(empty, "sub"));
    expect((await run(["test", empty])).err).toMatch(/^ruleflow test: no test suites/);
    expect((await run(["test", join(empty, "nope")])).err).toMatch(/nope: no such file or folder/);
    const r = await run(["test", suiteFile({ ...failing, cases: [{ ...failing.cases[0], definition: "rebate-rat" }] })]);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/s\.test-suite\.json: Invalid test suite "rate-checks": 1 problem: cases\[0\]\.definition: no definition "rebate-rat"/);
    expect((await run(["test"])).code).toBe(1);
    expect((await run(["test", tests, "--reporter", "tap"])).err).toContain("--reporter: expected text or junit");
  });
});
