/**
 * `ruleflow settle` reads .jsonl and .csv order files in chunks and writes the
 * statement piece by piece.
 *
 * In its own process with the heap capped at 48 MB, 200,000 order lines
 * (a 32 MB file; read whole, as a JSON array is, they need several times the
 * cap) settle to the totals a hand-written BigInt aggregation gives: the file
 * is streamed. The figure, ten million lines under a 500 MB heap, is
 * `npx tsx bench/settle-stream.ts` (about two minutes), kept out of the tests.
 *
 * In-process: a streamed file gives the statement that standard input (read
 * whole) gives, as JSON and as tables, and the same errors, with the same
 * precedence: bytes that are not text anywhere in the file before a line that
 * does not parse, and both before the settlement's own errors.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { decodeText } from "../src/io.js";
import { main } from "../src/main.js";

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, "..", "..", "..");
const cli = join(here, "..", "src", "cli.ts");
const examples = join(here, "..", "..", "examples");
const defs = join(examples, "definitions");
const data = join(examples, "data");
const dir = mkdtempSync(join(tmpdir(), "ruleflow-settle-stream-"));

async function run(argv: string[], stdin = ""): Promise<{ code: number; out: string; err: string }> {
  let out = "";
  let err = "";
  const code = await main(argv, { out: (t) => (out += t), err: (t) => (err += t), stdin: () => stdin });
  return { code, out, err };
}

function file(name: string, content: string | Buffer): string {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}

const program = file(
  "program.json",
  JSON.stringify({
    kind: "rebate",
    id: "flat",
    version: 1,
    currency: "CNY",
    timeZone: "Asia/Shanghai",
    account: "customer.id",
    basis: { amount: "line.netAmount", exclude: ["returned"] },
    tiers: [
      { from: "0", rate: "0.02" },
      { from: "1000000", rate: "0.035" },
    ],
    rounding: { scale: 2, mode: "half-even" },
  }),
);

describe("ruleflow settle streams its order file", () => {
  it("settles 200,000 lines with the heap capped at 48 MB, to the totals computed by hand", () => {
    const n = 200_000;
    const basis = new Map<number, bigint>();
    const parts: string[] = [];
    for (let i = 0; i < n; i++) {
      const account = (i * 7919) % 300;
      const cents = ((i * 2_654_435_761) % 900_000) + 100;
      const returned = i % 50 === 7;
      parts.push(
        `{"order":{"id":"SO-${i}","date":"2026-02-${String(1 + (i % 28)).padStart(2, "0")}T10:00:00+08:00"},"line":{"no":1,"netAmount":"${Math.floor(cents / 100)}.${String(cents % 100).padStart(2, "0")}","status":"${returned ? "returned" : "signed"}"},"customer":{"id":"D-${account}"}}\n`,
      );
      if (!returned) basis.set(account, (basis.get(account) ?? 0n) + BigInt(cents));
    }
    const orders = file("orders.jsonl", parts.join(""));
    let total = 0n;
    let earned = 0n;
    for (const b of basis.values()) {
      total += b;
      const exact = b * (b >= 100_000_000n ? 35n : 20n); // cents x 1/1000
      let c = exact / 1000n;
      const r = exact - c * 1000n;
      if (r * 2n > 1000n || (r * 2n === 1000n && c % 2n === 1n)) c += 1n;
      earned += c;
    }
    const money = (c: bigint): string => `${c / 100n}.${String(c % 100n).padStart(2, "0")}`;
    const r = spawnSync(process.execPath, ["--max-old-space-size=48", "--import", "tsx", cli, "settle", program, "--orders", orders, "--period", "2026-02", "--format", "table", "--max-lines", "3"], {
      cwd: root,
      encoding: "utf8",
    });
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    expect(r.stdout).toContain(`Totals: basis ${money(total)}, earned ${money(earned)},`);
    expect(r.stdout).toContain(`... ${(n - n / 50 - 3).toLocaleString("en-US").replace(/,/g, "")} more line(s)`);
  });

  it("gives the statement standard input gives, from JSON Lines and CSV files, as JSON and as tables", async () => {
    const base = ["settle", join(defs, "distributor-rebate.v4.rebate.json"), "--period", "2026-02", "--definitions", join(defs, "rebate-line-bonus.decision-table.json")];
    for (const name of ["orders-2026-02.jsonl", "orders-2026-02.csv"]) {
      const text = readFileSync(join(data, name), "utf8");
      for (const format of ["json", "table"]) {
        const streamed = await run([...base, "--orders", join(data, name), "--format", format]);
        const whole = await run([...base, "--orders", "-", "--format", format], text);
        expect(streamed.err).toBe("");
        expect(streamed.out).toBe(whole.out);
      }
    }
  });

  const bad: [string, string | Buffer, RegExp][] = [
    ["a line that is not JSON", '{"a":1}\n\n{ nope\n', /^ruleflow settle: \S+o1\.jsonl:3: not valid JSON/],
    ["a CSV row with a cell too many, named by row", "order.id,line.netAmount\nSO-1,1\n\nSO-2,2,3\n", /^ruleflow settle: \S+o2\.csv: row 3 has 3 cells, the header has 2\n$/],
    ["an unclosed quote, before an earlier bad row", 'order.id,line.netAmount\nSO-1,1,9\nSO-2,"2\n', /^ruleflow settle: \S+o3\.csv: a quoted cell is not closed\n$/],
    ["invalid UTF-8 after a line that is not JSON", Buffer.concat([Buffer.from("{ nope\n{}\n"), Buffer.alloc(2 << 20, 0x20), Buffer.from([0xff, 0x0a])]), /^ruleflow settle: \S+o4\.jsonl:3: not a text file: invalid UTF-8 \(byte 0xff\) at byte 2097162\n$/],
    ["a control character, and invalid UTF-8 later", Buffer.concat([Buffer.from("{}\u0001\n"), Buffer.alloc(1 << 20, 0x20), Buffer.from([0x0a, 0xc3, 0x28])]), /^ruleflow settle: \S+o5\.jsonl:3: not a text file: invalid UTF-8 \(byte 0xc3\) at byte 1048581\n$/],
    ["a sequence cut by the end of the file", Buffer.concat([Buffer.from("{}\n"), Buffer.from([0xe4, 0xb8])]), /^ruleflow settle: \S+o6\.jsonl:2: not a text file: invalid UTF-8 \(byte 0xe4\) at byte 3\n$/],
    ["a key given twice", '{"order":{"id":"A","date":"2026-02-03T10:00:00Z"},"line":{"no":1,"netAmount":"1"},"customer":{"id":"D"}}\n'.repeat(2), /line key "A\/1" appears twice in 2026-02/],
  ];
  it.each(bad.map(([what, content, message], i) => [what, content, message, i] as const))("refuses %s, as reading it whole does", async (_, content, message, i) => {
    const name = `o${i + 1}.${typeof content === "string" && content.startsWith("order.id") ? "csv" : "jsonl"}`;
    const path = file(name, content);
    const streamed = await run(["settle", program, "--orders", path, "--period", "2026-02"]);
    expect(streamed.code).toBe(1);
    expect(streamed.err).toMatch(message);
    // Standard input names no file; otherwise the message is the whole-file reading's.
    const whole = await run(["settle", program, "--orders", "-", "--period", "2026-02"], typeof content === "string" ? content : content.toString("latin1"));
    if (typeof content === "string") expect(whole.err.replace("-:", "").replace("ruleflow settle: -", "ruleflow settle: ")).toBe(streamed.err.replace(path.slice(0, -name.length), "").replace(`${name}:`, "").replace(name, ""));
    // Bytes that are not text: the message of the whole-file decoder.
    else expect(streamed.err).toBe(`ruleflow settle: ${(() => { try { decodeText(content, path); return "decoded"; } catch (e) { return (e as Error).message; } })()}\n`);
  });

  it("reports a line the settlement refuses only when the file has no error of its own", async () => {
    const line = (id: string, amount: string) => `{"order":{"id":"${id}","date":"2026-02-03T10:00:00Z"},"line":{"no":1,"netAmount":"${amount}"},"customer":{"id":"D"}}\n`;
    const badAmount = file("amount.jsonl", line("A", "1.005") + line("B", "2"));
    expect((await run(["settle", program, "--orders", badAmount, "--period", "2026-02"])).err).toMatch(/order line 1 \(A\/1\): basis.amount \(line.netAmount\): 1.005 has 3 decimal places/);
    const alsoBadJson = file("amount-json.jsonl", line("A", "1.005") + "{ nope\n");
    expect((await run(["settle", program, "--orders", alsoBadJson, "--period", "2026-02"])).err).toMatch(/amount-json\.jsonl:2: not valid JSON/);
    const badPrevious = file("previous.json", "{ nope");
    const r = await run(["settle", program, "--orders", alsoBadJson, "--period", "2026-02", "--previous", badPrevious]);
    expect(r.err).toMatch(/amount-json\.jsonl:2: not valid JSON/);
    const r2 = await run(["settle", program, "--orders", badAmount, "--period", "2026-02", "--previous", badPrevious]);
    expect(r2.err).toMatch(/previous\.json: not valid JSON/);
  });
});
