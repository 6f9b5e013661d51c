#!/usr/bin/env node
// The `ruleflow` command. A committed file rather than dist/cli.js itself, so that
// installing the workspace links the command before anything is built; inside the
// repository it says how to build when dist/ is missing instead of failing obscurely.
import { existsSync } from "node:fs";
import process from "node:process";
import { URL } from "node:url";

const cli = new URL("../dist/cli.js", import.meta.url);
if (existsSync(cli)) {
  await import(cli.href);
} else {
  process.stderr.write(
    "ruleflow: the command is not built yet (packages/cli/dist/cli.js is missing).\n" +
      "In the Ruleflow repository run `npx --yes pnpm@10.34.9 demo` or `npx --yes pnpm@10.34.9 build` first.\n",
  );
  process.exitCode = 1;
}
