/**
 * Browser tests for the components, in a real Chromium driven by
 * playwright-core. The browser is the operating system's (Debian `chromium`,
 * installed by `.ci/run` when missing): playwright's own download cannot work
 * here. Where no Chromium exists the suites are skipped and say why, as the
 * PostgreSQL server suites do.
 *
 * A test page is an HTML body plus a script bundled by esbuild from
 * TypeScript source (the engine and the components from src/, as the
 * tests of every other package do), served on 127.0.0.1 by a small HTTP server.
 */
import { existsSync, mkdirSync, readFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import { chromium, type Browser, type Locator, type Page } from "playwright-core";

const here = dirname(fileURLToPath(import.meta.url));
export const UI_ROOT = join(here, "..");
export const REPO_ROOT = join(UI_ROOT, "..", "..");
/** Where the screenshots of the components go (docs/ui.md shows them). */
const SCREENSHOTS = join(REPO_ROOT, "docs", "images", "ui");

const CANDIDATES = ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome", "/usr/bin/google-chrome-stable"];

/** The Chromium to drive: `RULEFLOW_CHROMIUM`, else the first of the usual system paths that exists. */
function chromiumPath(): string | undefined {
  const fromEnv = process.env.RULEFLOW_CHROMIUM;
  if (fromEnv) return existsSync(fromEnv) ? fromEnv : undefined;
  return CANDIDATES.find((p) => existsSync(p));
}

/** Why the browser suites are skipped, or undefined when a Chromium exists. */
export const browserSkipReason: string | undefined = chromiumPath()
  ? undefined
  : `no Chromium found (looked at RULEFLOW_CHROMIUM and ${CANDIDATES.join(", ")}); install Debian's chromium and fonts-noto-cjk (\`.ci/run\` does)`;

/** The suite title with the skip reason appended when skipped (for `describe.skipIf(browserSkipReason !== undefined)`). */
export function browserSuiteTitle(title: string): string {
  return browserSkipReason ? `${title} (skipped: ${browserSkipReason})` : title;
}

/** Launch headless Chromium with the flags this closed network needs. */
export async function launchBrowser(): Promise<Browser> {
  const executablePath = chromiumPath();
  if (!executablePath) throw new Error(browserSkipReason);
  return chromium.launch({
    executablePath,
    headless: true,
    args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--font-render-hinting=none"],
  });
}

const bundles = new Map<string, Promise<string>>();

/**
 * Bundle a page script (TypeScript source text, resolved from packages/ui/test)
 * for the browser. `@ruleflow/engine` and its subpaths resolve to the engine's
 * src (packages/ui/tsconfig.json paths). Cached per source text.
 */
export function bundleScript(source: string): Promise<string> {
  let out = bundles.get(source);
  if (!out) {
    out = build({
      stdin: { contents: source, resolveDir: here, loader: "ts", sourcefile: "page.ts" },
      bundle: true,
      write: false,
      format: "esm",
      platform: "browser",
      target: "es2022",
      tsconfig: join(UI_ROOT, "tsconfig.json"),
      logLevel: "silent",
      define: { "process.env.NODE_ENV": '"production"' },
    }).then((r) => r.outputFiles[0]!.text);
    bundles.set(source, out);
  }
  return out;
}

const require = createRequire(import.meta.url);
let axeSource: string | undefined;

/** A page server: each path maps to [content type, body]. */
export interface PageServer {
  url: string;
  /** Add or replace a file. */
  put(path: string, type: string, body: string | Buffer): void;
  close(): Promise<void>;
}

/** Serve files from memory on 127.0.0.1 (a random port). */
export async function servePages(): Promise<PageServer> {
  const files = new Map<string, [string, string | Buffer]>();
  axeSource ??= readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");
  files.set("/axe.js", ["text/javascript", axeSource]);
  const server: Server = createServer((req, res) => {
    const path = (req.url ?? "/").split("?")[0]!;
    const file = files.get(path);
    if (!file) {
      res.writeHead(404).end("not found");
      return;
    }
    res.writeHead(200, { "content-type": `${file[0]}; charset=utf-8`, "cache-control": "no-store" }).end(file[1]);
  });
  await new Promise<void>((ok) => server.listen(0, "127.0.0.1", ok));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    put: (path, type, body) => files.set(path, [type, body]),
    close: () => new Promise<void>((ok) => server.close(() => ok())),
  };
}

/**
 * Open a page whose body is `body` and whose module script is `script`
 * (TypeScript source, bundled). Page errors and console errors are collected
 * in `errors` so a test can assert there were none.
 */
export async function openPage(
  browser: Browser,
  server: PageServer,
  options: { body: string; script: string; name?: string; lang?: string; viewport?: { width: number; height: number } },
): Promise<{ page: Page; errors: string[] }> {
  const name = options.name ?? `p${Math.random().toString(36).slice(2)}`;
  server.put(`/${name}.js`, "text/javascript", await bundleScript(options.script));
  server.put(
    `/${name}.html`,
    "text/html",
    `<!doctype html><html lang="${options.lang ?? "en"}"><head><meta charset="utf-8"><title>${name}</title><link rel="icon" href="data:,">` +
      `<style>body{margin:16px;font-family:system-ui,"Noto Sans CJK SC",sans-serif}</style></head>` +
      `<body>${options.body}<script type="module" src="/${name}.js"></script></body></html>`,
  );
  const page = await browser.newPage({ viewport: options.viewport ?? { width: 1100, height: 800 }, deviceScaleFactor: 1 });
  const errors: string[] = [];
  page.on("pageerror", (e) => errors.push(`pageerror: ${e.message}`));
  page.on("console", (m) => {
    if (m.type() === "error") errors.push(`console: ${m.text()}`);
  });
  await page.goto(`${server.url}/${name}.html`);
  await page.waitForFunction(() => (window as unknown as { __ready?: boolean }).__ready === true, undefined, { timeout: 20_000 });
  return { page, errors };
}

/** One axe-core violation, trimmed for an assertion message. */
export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  targets: string[];
}

/** Run axe-core on the element matching `selector` and return its serious and critical violations. */
export async function seriousA11yViolations(page: Page, selector: string): Promise<AxeViolation[]> {
  axeSource ??= readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");
  await page.addScriptTag({ content: axeSource });
  return page.evaluate(async (sel) => {
    type AxeResult = { violations: { id: string; impact: string | null; help: string; nodes: { target: unknown[] }[] }[] };
    const axe = (window as unknown as { axe: { run: (ctx: unknown, opts: unknown) => Promise<AxeResult> } }).axe;
    const result = await axe.run({ include: [[sel]] }, { resultTypes: ["violations"] });
    return result.violations
      .filter((v) => v.impact === "serious" || v.impact === "critical")
      .map((v) => ({ id: v.id, impact: v.impact, help: v.help, targets: v.nodes.map((n) => JSON.stringify(n.target)) }));
  }, selector);
}

/** Save a screenshot of `target` as docs/images/ui/<name>.png and return the path. */
export async function saveScreenshot(target: Page | Locator, name: string): Promise<string> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  const path = join(SCREENSHOTS, `${name}.png`);
  await target.screenshot({ path, animations: "disabled" });
  return path;
}

/** An example definition from packages/examples/definitions, parsed. */
export function exampleDefinition(file: string): Record<string, unknown> {
  return JSON.parse(readFileSync(join(REPO_ROOT, "packages", "examples", "definitions", file), "utf8")) as Record<string, unknown>;
}
