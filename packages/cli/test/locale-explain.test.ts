import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { main } from "../src/main.js";

const here = dirname(fileURLToPath(import.meta.url));
const examples = join(here, "..", "..", "examples");
const AT = "2026-02-10T10:00:00+08:00";

async function run(argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = "";
  let err = "";
  const code = await main(argv, { out: (t) => (out += t), err: (t) => (err += t), stdin: () => "" });
  return { code, out, err };
}

describe("--locale zh-CN for evaluate and report", () => {
  it("evaluate writes promotion near-miss hints in Chinese, English by default", async () => {
    const args = ["evaluate", join(examples, "definitions", "q1-display-subsidy.promotion.json"), "--facts", join(examples, "facts", "store-visit.json"), "--at", AT, "--no-trace"];
    const zh = await run([...args, "--locale", "zh-CN"]);
    expect(zh.code).toBe(0);
    expect(JSON.parse(zh.out).hints[0].message).toBe("还差 2 次进货即可达标");
    const en = await run(args);
    expect(JSON.parse(en.out).hints[0].message).toBe("2 more purchases to qualify");
  });

  it("evaluate refuses an unknown locale", async () => {
    const r = await run(["evaluate", join(examples, "definitions", "q1-display-subsidy.promotion.json"), "--facts", join(examples, "facts", "store-visit.json"), "--at", AT, "--locale", "fr"]);
    expect(r.code).not.toBe(0);
    expect(r.err).toMatch(/locale: expected one of en, zh-CN, got "fr"/);
  });

  it("report writes the rollout report's headings in Chinese", async () => {
    const r = await run(["report", join(examples, "definitions", "renewal-incentive-pilot.rollout.json"), "--data", join(examples, "data", "renewal-pilot.events.jsonl"), "--locale", "zh-CN"]);
    expect(r.code).toBe(0);
    expect(r.out).toContain("灰度发布 renewal-incentive-v2 v1（running），对照组 control");
    expect(r.out).toContain("建议：PROMOTE treatment");
  });
});
