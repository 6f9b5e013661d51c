/**
 * docs/backtests.md: every `ruleflow backtest` command on the page runs (from
 * packages/examples, as the page says) and prints exactly the text block that
 * follows it.
 */
import { readFileSync } from "node:fs";
import { dirname, isAbsolute, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { main } from "../../cli/src/main.js";

const examples = join(dirname(fileURLToPath(import.meta.url)), "..");
const page = readFileSync(join(examples, "..", "..", "docs", "backtests.md"), "utf8");

/** Each ```sh block with its command and the ```text block right after it. */
const runs = [...page.matchAll(/```sh\n(ruleflow backtest [^\n]+)\n```\n\n```text\n([\s\S]*?)\n```/g)].map((m) => ({ command: m[1]!, shown: m[2]! }));

describe("docs/backtests.md", () => {
  it("shows four commands with their output", () => {
    expect(runs).toHaveLength(4);
  });

  it.each(runs.map((r) => [r.command.slice(0, 90), r] as const))("%s", async (_, { command, shown }) => {
    const argv = command
      .split(/\s+/)
      .slice(1)
      .map((a) => (/^(definitions|candidates|data)\//.test(a) && !isAbsolute(a) ? join(examples, a) : a));
    let out = "";
    let err = "";
    const code = await main(argv, { out: (t) => (out += t), err: (t) => (err += t), stdin: () => "" });
    expect(err).toBe("");
    expect(code).toBe(0);
    expect(out.trimEnd()).toBe(shown);
  });

  it("is linked from docs/README.md", () => {
    expect(readFileSync(join(examples, "..", "..", "docs", "README.md"), "utf8")).toContain("(backtests.md)");
  });
});
