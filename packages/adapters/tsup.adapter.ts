/**
 * The build every adapter package shares: ESM + CJS + declarations for Node 20.
 * Each package's tsup.config.ts calls this with what differs.
 */
import { defineConfig, type Options } from "tsup";

export function adapterConfig(overrides: Options = {}): ReturnType<typeof defineConfig> {
  return defineConfig({
    entry: ["src/index.ts"],
    format: ["esm", "cjs"],
    dts: true,
    sourcemap: true,
    clean: true,
    target: "node20",
    platform: "node",
    treeshake: true,
    ...overrides,
  });
}
