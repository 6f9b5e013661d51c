import { fc, test } from "@fast-check/vitest";
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { main } from "../src/main.js";
import { oneLine } from "../src/io.js";

const here = dirname(fileURLToPath(import.meta.url));
const examples = join(here, "..", "..", "examples");
const defs = join(examples, "definitions");
const bin = join(here, "..", "dist", "cli.js");
const valid = join(defs, "first-order-points.ruleset.json");

async function run(argv: string[], stdin = ""): Promise<{ code: number; out: string; err: string }> {
  let out = "";
  let err = "";
  const code = await main(argv, { out: (t) => (out += t), err: (t) => (err += t), stdin: () => stdin });
  return { code, out, err };
}

function tmp(name: string, content: string | Uint8Array): string {
  const file = join(mkdtempSync(join(tmpdir(), "ruleflow-hostile-")), name);
  writeFileSync(file, content);
  return file;
}

function lines(text: string): string[] {
  return text.split("\n").filter((l) => l !== "");
}

describe("deep documents", () => {
  const chain = (open: string, leaf: string, close: string, n: number) => open.repeat(n) + leaf + close.repeat(n);
  const cond = '{"fact":"a","op":"eq","value":1}';
  const deepFiles: [string, string][] = [
    ["all-800.json", `{"kind":"ruleset","id":"d","version":1,"rules":[{"id":"r","when":${chain('{"all":[', cond, "]}", 800)},"then":{}}]}`],
    ["not-1400.json", `{"kind":"ruleset","id":"d","version":1,"rules":[{"id":"r","when":${chain('{"not":', cond, "}", 1400)},"then":{}}]}`],
    ["arrays-1800.json", `{"kind":"ruleset","id":"d","version":1,"rules":[{"id":"r","then":{"x":${chain("[", "1", "]", 1800)}}}]}`],
    ["all-100000.json", `{"kind":"ruleset","id":"d","version":1,"rules":[{"id":"r","when":${chain('{"all":[', cond, "]}", 100_000)},"then":{}}]}`],
  ];

  it.each(deepFiles)("validate a.json %s b.json reports every file, b.json included", async (name, text) => {
    const deep = tmp(name, text);
    const r = await run(["validate", valid, deep, join(defs, "contract-auto-approval.ruleset.json")]);
    expect(r.code).toBe(1);
    expect(lines(r.out)).toEqual([`${valid}: ok`, `${join(defs, "contract-auto-approval.ruleset.json")}: ok`]);
    expect(lines(r.err)).toHaveLength(1);
    expect(r.err).toMatch(new RegExp(`^${deep.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}: rules\\[0\\]\\.(when|then)\\.[^ ]+: nested more than 64 levels deep`));
  });

  it("evaluate and simulate refuse a deep document in one line", async () => {
    const deep = tmp("deep.json", deepFiles[0]![1]);
    const facts = tmp("f.json", "{}");
    const e = await run(["evaluate", deep, "--facts", facts]);
    expect(e.code).toBe(1);
    expect(lines(e.err)).toHaveLength(1);
    expect(e.err).toMatch(/invalid definition: rules\[0\]\.when(\.all\[0\])+\.all: nested more than 64 levels/);
    const scenario = tmp("s.json", `{"kind":"scenario","id":"s","start":"2026-01-01T00:00:00Z","steps":${"[".repeat(5000)}${"]".repeat(5000)}}`);
    const s = await run(["simulate", scenario]);
    expect(s.code).toBe(1);
    expect(lines(s.err)).toHaveLength(1);
    expect(s.err).toMatch(/steps(\[0\])+: nested more than 64 levels/);
  });
});

describe("unknown commands", () => {
  it.each(["toString", "constructor", "__proto__", "hasOwnProperty", "valueOf", "nope"])("%s prints the usage and exits 2", async (name) => {
    const r = await run([name, "x"]);
    expect(r.code).toBe(2);
    expect(r.err).toContain(`ruleflow: unknown command ${JSON.stringify(name)}`);
    expect(r.err).toContain("ruleflow validate <file.json>...");
    expect(r.err).not.toMatch(/internal error/);
  });

  it("the binary exits 2 for toString, without an internal error", () => {
    expect(existsSync(bin), `${bin} is missing: run pnpm --filter @ruleflow/cli build`).toBe(true);
    const r = spawnSync(process.execPath, [bin, "toString"], { encoding: "utf8" });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/^ruleflow: unknown command "toString"\n/);
    expect(r.stderr).not.toMatch(/internal error/);
  });
});

describe("order files that are not text", () => {
  const program = join(defs, "distributor-rebate.v3.rebate.json");
  const settle = (orders: string, stdin = "") => run(["settle", program, "--orders", orders, "--period", "2026-01"], stdin);
  // 256 fixed bytes from a linear congruential generator: binary noise, the same every run
  const noise = Uint8Array.from({ length: 256 }, (_, i) => (Math.imul(i + 7, 1103515245) + 12345) >>> 23);

  it.each(["orders.csv", "orders.jsonl", "orders.json", "orders.bin"])("random bytes as %s are refused with the line and byte offset", async (name) => {
    const r = await settle(tmp(name, noise));
    expect(r.code).toBe(1);
    expect(r.out).toBe("");
    expect(lines(r.err)).toHaveLength(1);
    expect(r.err).toMatch(new RegExp(`${name}:\\d+: not a text file: .* at byte \\d+`));
  });

  test.prop(
    [
      fc.array(fc.stringMatching(/^[a-z0-9.,]{0,12}$/), { minLength: 1, maxLength: 6 }),
      fc.constantFrom([0xff], [0xc3], [0xed, 0xa0, 0x80], [0x00], [0x1b], [0xc0, 0xaf], [0xf4, 0x90, 0x80, 0x80]),
    ],
    { numRuns: 40 },
  )("a bad byte after valid lines is named by line and byte offset", async (textLines, bad) => {
    const prefix = Buffer.from(textLines.join("\n"), "utf8");
    const file = tmp("orders.csv", Buffer.concat([prefix, Buffer.from(bad), Buffer.from("\nx,y\n")]));
    const r = await settle(file);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(new RegExp(`orders\\.csv:${textLines.length}: not a text file: .* at byte ${prefix.length}\\b`));
  });

  it("control characters on standard input are refused too", async () => {
    const r = await settle("-", "order.id,line.netAmount\nSO-1,\u0000\u0001\n");
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/^ruleflow settle: -:2: not a text file: control character U\+0000 at byte 29/);
  });

  it("a tab, CRLF line ends and a byte-order mark are still text", async () => {
    const csv = "\ufefforder.id,order.date,line.no,line.netAmount,customer.id\r\nSO-1,2026-01-10T10:00:00+08:00,1,100.00,\tD-1\r\n";
    const r = await settle(tmp("orders.csv", csv));
    expect(r.err).toBe("");
    expect(r.code).toBe(0);
  });
});

describe("values in messages stay on one line", () => {
  const hostile = "x\nruleflow evaluate: forged line\r\u2028\u001b[2J";
  // what a text file may hold (an escape character would make it "not a text file")
  const hostileText = "x\nruleflow evaluate: forged line\r\u2028";

  it("escapes control characters JSON-style", () => {
    expect(oneLine("a\nb\r\tc\u0000\u2028\u202e")).toBe("a\\nb\\r\\tc\\u0000\\u2028\\u202e");
  });

  test.prop([fc.string({ unit: "binary", minLength: 1, maxLength: 40 })], { numRuns: 60 })(
    "an --id with any characters gives exactly one error line",
    async (id) => {
      const r = await run(["evaluate", valid, "--facts", tmp("f.json", "{}"), "--id", id]);
      expect(r.code).toBe(1);
      expect(r.err.endsWith("\n")).toBe(true);
      expect(r.err.slice(0, -1)).not.toMatch(/[\n\r\u2028\u2029]/);
    },
  );

  it.each<[string, () => Promise<{ code: number; err: string }>]>([
    ["an unknown command", () => run([hostile])],
    ["an unknown option", () => run(["evaluate", `--${hostile}`])],
    ["a bad --format", () => run(["settle", valid, "--orders", "-", "--period", "2026-01", "--format", hostile])],
    ["an unreadable file name", () => run(["validate", `/nonexistent/${hostile}.json`])],
    ["an expression in a definition", () => run(["validate", tmp("d.json", JSON.stringify({ kind: "ruleset", id: "d", version: 1, rules: [{ id: "r", then: { x: { expr: `1 +${hostile}` } } }] }))])],
    ["invalid JSON in a file whose name holds a line break", () => run(["validate", tmp(`d${hostileText}.json`, `{"a": 1,\n${hostileText}`)])],
    ["a CSV header", () => run(["settle", join(defs, "distributor-rebate.v3.rebate.json"), "--orders", "-", "--period", "2026-01"], `"a.${hostileText}.",b\n1,2\n`)],
  ])("%s", async (_, go) => {
    const r = await go();
    expect(r.code).toBeGreaterThan(0);
    const errLines = lines(r.err);
    expect(errLines.some((l) => l.includes("forged line")), r.err).toBe(true);
    for (const l of errLines) expect(l, r.err).not.toMatch(/^ruleflow evaluate: forged line/);
    // eslint-disable-next-line no-control-regex
    expect(r.err).not.toMatch(/[\r\u2028\u001b]/);
    expect(r.err).toMatch(/\\n|\\u001b|\\r/);
  });

  it("table output escapes values from the data", async () => {
    const orders = readFileSync(join(examples, "data", "orders-2026-01.jsonl"), "utf8")
      .split("\n")
      .filter((l) => l.trim())
      .map((l) => {
        const o = JSON.parse(l) as { customer: { id: string; name?: string } };
        o.customer.id = `${o.customer.id}\nTOTAL payable 999999999.00`;
        return JSON.stringify(o);
      })
      .join("\n");
    const r = await run(["settle", join(defs, "distributor-rebate.v3.rebate.json"), "--orders", tmp("o.jsonl", orders), "--period", "2026-01", "--format", "table"]);
    expect(r.err).toBe("");
    expect(r.out).not.toMatch(/^TOTAL payable/m);
    expect(r.out).toContain("\\nTOTAL payable 999999999.00");
  });
});

describe("a line break inside a value never cuts an error short", () => {
  const program = join(defs, "distributor-rebate.v3.rebate.json");

  it("settle: CR/LF in a failing order line's id prints the whole cause on one line", async () => {
    const id = "SO-1\r\nruleflow settle: all good, nothing to see";
    const orders = JSON.stringify({ order: { id, date: "2026-01-10T10:00:00+08:00" }, line: { no: 1, netAmount: "12.345" }, customer: { id: "D-1" } });
    const r = await run(["settle", program, "--orders", tmp("o.jsonl", orders), "--period", "2026-01"]);
    expect(r.code).toBe(1);
    const errLines = lines(r.err);
    for (const l of errLines) expect(l, r.err).not.toMatch(/^ruleflow settle: all good/);
    expect(r.err).not.toMatch(/\r/);
    expect(r.err).toContain("SO-1\\r\\nruleflow settle: all good");
    // the cause after the id: the amount that was refused
    expect(r.err, r.err).toMatch(/12\.345/);
  });

  it("evaluate: a newline in an expression string literal prints the whole cause", async () => {
    const def = { kind: "ruleset", id: "d", version: 1, rules: [{ id: "r", then: { x: { expr: '"a\nruleflow evaluate: ok" + n' } } }] };
    const r = await run(["evaluate", tmp("d.json", JSON.stringify(def)), "--facts", tmp("f.json", '{"n":1}')]);
    expect(r.code).toBe(1);
    const errLines = lines(r.err);
    for (const l of errLines) expect(l, r.err).not.toMatch(/^ruleflow evaluate: ok/);
    expect(r.err).not.toMatch(/^[^\n]*\n[^]/);
    // the cause and the whole expression, its line break escaped
    expect(r.err).toContain('rules[0].then.x: "+" needs two numbers');
    expect(r.err).toContain('in expression ""a\\nruleflow evaluate: ok" + n"');
  });
});
