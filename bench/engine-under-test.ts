/**
 * The engine the workflow benches (workflow.ts, simulation.ts) measure: its
 * sources, run through tsx (the default), or with BENCH_ENGINE=dist the built
 * package as it ships (`pnpm -r build` first). tsx keeps the names of inner
 * functions with a wrapper the built package does not have, so the two can
 * differ by a few per cent.
 */
import * as source from "../packages/engine/src/index.js";

type EngineModule = typeof source;

/** `src` or `dist`: what {@link engineUnderTest} is. */
export const engineBuild: "src" | "dist" = process.env["BENCH_ENGINE"] === "dist" ? "dist" : "src";

const DIST = new URL("../packages/engine/dist/index.js", import.meta.url).href;

/** The engine's exports, from `src` or `dist` (see {@link engineBuild}). */
export const engineUnderTest: EngineModule = engineBuild === "dist" ? await loadDist() : source;

async function loadDist(): Promise<EngineModule> {
  try {
    return (await import(DIST)) as EngineModule;
  } catch (e) {
    throw new Error(`BENCH_ENGINE=dist: the built engine could not be loaded from ${DIST} (build it first: npx --yes pnpm@10.34.9 -r build): ${e instanceof Error ? e.message : String(e)}`, { cause: e });
  }
}
