#!/usr/bin/env node
/**
 * The root `pnpm test`, after `pnpm run build:stale`: lint, typecheck, the
 * checks on what we ship (`pnpm check:ship`) and the vitest suite run at the same time instead of one after another, and the run
 * fails when any of them fails.
 *
 *   node scripts/test.mjs                    lint, typecheck, check:ship and vitest run
 *   node scripts/test.mjs <vitest args...>   the same, the arguments passed to vitest
 *                                            (`pnpm test packages/cli` runs that folder's tests)
 *
 * Vitest's output streams as it comes. Lint and typecheck are quiet while they
 * run: each one's output is printed as one block when it ends, so the blocks
 * never interleave. The run ends with one line per step (passed or failed, and
 * how long it took) and, last, the summary reporter's
 * `tests: N passed, N failed, N skipped` line again, so that line stays the
 * final line of the run.
 *
 * Why at the same time: on a 2-core machine the suite spends much of its time
 * waiting (an npm install from the registry, worker processes on PostgreSQL,
 * timers of a few seconds), and lint and typecheck fill that time. Vitest starts
 * first so its slow files start first; lint and typecheck run at a lower CPU
 * priority, so they take what the tests leave.
 */
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import process from "node:process";
import { fileURLToPath, pathToFileURL } from "node:url";

const PNPM = "pnpm@10.34.9";
const SUMMARY = /^tests: \d+ passed, \d+ failed, \d+ skipped$/;

/** How to run `pnpm <args>`: the pnpm that runs this script when there is one, else npx. */
export function pnpmCommand(args) {
  const execpath = process.env.npm_execpath;
  if (execpath && /pnpm/.test(execpath)) return [process.execPath, [execpath, ...args]];
  return ["npx", ["--yes", PNPM, ...args]];
}

/** The command line with a lower CPU priority where `nice` exists (Linux, macOS). */
function niced([cmd, args]) {
  return process.platform === "win32" ? [cmd, args] : ["nice", ["-n", "10", cmd, ...args]];
}

/**
 * Run one step. `stream` true: its output goes straight through; false: it is
 * kept and returned. Resolves with the exit code, the output and the seconds taken.
 */
function runStep({ name, command, cwd, stream }) {
  const started = Date.now();
  return new Promise((done) => {
    const [cmd, args] = command;
    const child = spawn(cmd, args, {
      cwd,
      env: { ...process.env, FORCE_COLOR: process.stdout.isTTY ? "1" : (process.env.FORCE_COLOR ?? "0") },
      stdio: ["ignore", "pipe", "pipe"],
      shell: process.platform === "win32",
    });
    let output = "";
    let lastLine = "";
    let pending = "";
    const take = (target) => (chunk) => {
      const text = chunk.toString();
      if (stream) target.write(text);
      else output += text;
      // the summary reporter's line, without colour codes
      pending += text;
      const lines = pending.split("\n");
      pending = lines.pop() ?? "";
      for (const l of lines) {
        // eslint-disable-next-line no-control-regex
        const plain = l.replace(/\x1b\[[0-9;]*m/g, "").trim();
        if (SUMMARY.test(plain)) lastLine = plain;
      }
    };
    child.stdout.on("data", take(process.stdout));
    child.stderr.on("data", take(process.stderr));
    child.on("error", (e) => {
      output += `${name}: could not start ${cmd}: ${e.message}\n`;
    });
    child.on("close", (code, signal) => {
      done({ name, code: code ?? (signal ? 1 : 0), signal, output, summary: lastLine, seconds: (Date.now() - started) / 1000 });
    });
  });
}

/** Run lint, typecheck, check:ship and vitest at once in `root`. Returns the exit code. */
export async function runAll({ root, vitestArgs = [] }) {
  const vitestBin = join(root, "node_modules", "vitest", "vitest.mjs");
  const vitest = runStep({ name: "vitest", command: [process.execPath, [vitestBin, "run", ...vitestArgs]], cwd: root, stream: true });
  const quiet = [
    runStep({ name: "lint", command: niced(pnpmCommand(["run", "--silent", "lint"])), cwd: root, stream: false }),
    runStep({ name: "typecheck", command: niced(pnpmCommand(["run", "--silent", "typecheck"])), cwd: root, stream: false }),
    // the checks on what we ship (types against dist, arethetypeswrong, size budgets): they read the built dist/
    runStep({ name: "check:ship", command: niced(pnpmCommand(["run", "--silent", "check:ship"])), cwd: root, stream: false }),
  ];
  for (const step of quiet) {
    void step.then((r) => {
      const text = r.output.trimEnd();
      process.stdout.write(`\n── ${r.name} ${r.code === 0 ? "passed" : "FAILED"} (${r.seconds.toFixed(0)} s)${text ? ":" : ""}\n${text ? `${text}\n` : ""}`);
    });
  }
  const results = await Promise.all([...quiet, vitest]);
  process.stdout.write("\n");
  for (const r of results) {
    process.stdout.write(`${r.name}: ${r.code === 0 ? "passed" : `FAILED (exit ${r.signal ?? r.code})`} in ${r.seconds.toFixed(0)} s\n`);
  }
  const v = results.at(-1);
  process.stdout.write(`${v.summary || "tests: no summary line from vitest"}\n`);
  return results.every((r) => r.code === 0) ? 0 : 1;
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
  JSON.parse(readFileSync(join(root, "package.json"), "utf8")); // fail early outside the workspace
  process.exitCode = await runAll({ root, vitestArgs: process.argv.slice(2) });
}
