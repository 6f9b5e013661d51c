/**
 * With RULEFLOW_CHECK_DIRECT=1, every step the engine's tests take off
 * xstate (the direct path, the flat path: runtime/step.ts) is also run
 * through xstate, and any difference throws inside the step:
 * `RULEFLOW_CHECK_DIRECT=1 npx vitest run --project engine`. Off by default
 * (it doubles the work of every step); runtime-direct-path.test.ts checks
 * both paths on random operations in every run.
 */
if (process.env["RULEFLOW_CHECK_DIRECT"] === "1") {
  const { checkDirectPath } = await import("../src/runtime/step.js");
  checkDirectPath(true);
}

export {};
