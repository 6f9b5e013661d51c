import { fileURLToPath } from "node:url";
import { defineConfig } from "vite";

const at = (p: string) => fileURLToPath(new URL(p, import.meta.url));

/**
 * The studio builds from the engine's and the components' sources (no package
 * build needed first): `vite` serves it, `vite build` writes dist/, a static
 * folder any web server can serve (relative asset paths, so any sub-path works).
 */
export default defineConfig({
  base: "./",
  resolve: {
    alias: [
      { find: /^@ruleflow\/engine$/, replacement: at("../engine/src/index.ts") },
      { find: /^@ruleflow\/engine\/(.+)$/, replacement: at("../engine/src/entries/$1.ts") },
      { find: /^@ruleflow\/ui$/, replacement: at("../ui/src/index.ts") },
      { find: /^@ruleflow\/ui\/(.+)$/, replacement: at("../ui/src/components/$1.ts") },
    ],
  },
  server: { fs: { allow: [at("../..")] } },
  build: { outDir: "dist", emptyOutDir: true, target: "es2022", sourcemap: true, chunkSizeWarningLimit: 2000 },
});
