import { defineConfig } from "tsup";

export default defineConfig({
  entry: { cli: "src/cli.ts", main: "src/main.ts" },
  format: ["esm"],
  dts: { entry: { main: "src/main.ts" } },
  clean: true,
  target: "node20",
  platform: "node",
});
