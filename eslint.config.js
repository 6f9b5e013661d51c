import js from "@eslint/js";
import tseslint from "typescript-eslint";

export default tseslint.config(
  {
    ignores: [
      "**/dist/**",
      "**/node_modules/**",
      "docs/api/**",
      "coverage/**",
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    // One program for all the TypeScript: the root tsconfig.json (the packages' src, tests and
    // scripts, bench and scripts/*.ts), the one `pnpm typecheck` checks. Quicker than a program
    // per package, and @ruleflow/* resolve to src as in the tests. The browser packages (ui,
    // studio) need the DOM's types: their own tsconfig.json, as `pnpm typecheck` checks them
    // (a file gets the first program that includes it).
    languageOptions: {
      parserOptions: {
        project: ["./tsconfig.json", "./packages/ui/tsconfig.json", "./packages/studio/tsconfig.json"],
        tsconfigRootDir: import.meta.dirname,
      },
    },
  },
  {
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "@typescript-eslint/consistent-type-imports": "error",
      // Passing on a caught reason (typed unknown) as it came is right; a known non-Error is still refused.
      "@typescript-eslint/prefer-promise-reject-errors": ["error", { allowThrowingUnknown: true }],
      "no-restricted-syntax": [
        "error",
        { selector: "CallExpression[callee.name='eval']", message: "eval is never allowed" },
        { selector: "NewExpression[callee.name='Function']", message: "new Function is never allowed" },
      ],
    },
  },
  {
    // The in-memory implementations of the async ports (storage, scheduler, claim and rollout
    // stores, notifier, directory): `async` is what makes a throw (bad input, a version
    // conflict) a rejected promise, as from a real store, though nothing is awaited.
    files: ["packages/engine/src/**/memory-*.ts", "packages/engine/src/runtime/defaults.ts"],
    rules: { "@typescript-eslint/require-await": "off" },
  },
  {
    // Not in that program, so linted without types: plain JavaScript (scripts, the CLI's bin),
    // the build and test configs, and the type tests (test-d), which tsconfig.dist-types*.json
    // compile against the built dist (scripts/check-types-dist.mjs), not against src.
    files: ["**/*.{js,mjs,cjs}", "**/tsup.config.ts", "packages/adapters/tsup.adapter.ts", "vitest.config.ts", "packages/*/test-d/**", "packages/adapters/*/test-d/**"],
    extends: [tseslint.configs.disableTypeChecked],
  },
  {
    // Tests. vitest's asymmetric matchers (expect.any, expect.stringMatching, expect.objectContaining)
    // are typed any, so every expected object that uses one is an "unsafe assignment".
    files: ["packages/*/test/**/*.ts", "packages/adapters/*/test/**/*.ts"],
    rules: { "@typescript-eslint/no-unsafe-assignment": "off" },
  },
  {
    // Fakes of the async ports in tests (notifiers, directories, handlers, drivers): `async` makes
    // their throws rejections, as from the real thing, though they await nothing.
    files: ["packages/*/test/**/*.ts", "packages/adapters/*/test/**/*.ts"],
    rules: { "@typescript-eslint/require-await": "off" },
  },
  {
    // The CLI's tests read what it prints with JSON.parse (typed any) and probe the result.
    files: ["packages/cli/test/**/*.ts"],
    rules: {
      "@typescript-eslint/no-unsafe-member-access": "off",
      "@typescript-eslint/no-unsafe-call": "off",
      "@typescript-eslint/no-unsafe-return": "off",
    },
  },
  {
    files: ["packages/engine/src/**/*.ts"],
    ignores: ["packages/engine/src/**/*.test.ts"],
    rules: {
      "no-restricted-globals": [
        "error",
        { name: "process", message: "the engine runs in browsers too: no Node globals" },
        { name: "Buffer", message: "the engine runs in browsers too: no Node globals" },
      ],
      "no-restricted-imports": ["error", { patterns: ["node:*"] }],
    },
  },
);
