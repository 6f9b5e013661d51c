/**
 * Completion from the engine's JSON Schemas (`toJsonSchemas()`): at the cursor
 * in a JSON text, the member names the schema allows there (minus those
 * already present) or the values it allows (`enum`, `const`, booleans).
 * Pure functions; the JSON editor turns them into CodeMirror completions.
 */

/** The parts of JSON Schema this reads. */
export interface Schema {
  $ref?: string;
  $defs?: Record<string, Schema>;
  type?: string | string[];
  properties?: Record<string, Schema>;
  additionalProperties?: boolean | Schema;
  items?: Schema;
  prefixItems?: Schema[];
  anyOf?: Schema[];
  oneOf?: Schema[];
  allOf?: Schema[];
  enum?: unknown[];
  const?: unknown;
  description?: string;
}

/** What the cursor is on. */
export interface CursorContext {
  /** The path of the object or array the cursor is in. */
  container: (string | number)[];
  /** A member name is expected (in an object, before its colon) or a value. */
  expecting: "key" | "value";
  /** The member whose value is being written (expecting "value" in an object). */
  key?: string;
  /** Offset where the word being completed starts (its opening quote included). */
  from: number;
  /** Member names already present in the object (for "key"). */
  present: string[];
}

/** The schema for the value at `path` under `root`: every alternative (anyOf/oneOf), refs resolved. */
function schemasAt(root: Schema, path: readonly (string | number)[]): Schema[] {
  const resolve = (s: Schema | boolean | undefined, seen = 0): Schema[] => {
    if (!s || s === true || seen > 20) return [];
    if (s.$ref) {
      const name = /^#\/\$defs\/(.+)$/.exec(s.$ref)?.[1];
      const target = name ? root.$defs?.[decodeURIComponent(name)] : undefined;
      const { $ref: _ref, ...rest } = s;
      return [...(target ? resolve(target, seen + 1) : []), ...(Object.keys(rest).length ? resolve(rest, seen + 1) : [])];
    }
    const alts = [...(s.anyOf ?? []), ...(s.oneOf ?? [])];
    const { anyOf: _any, oneOf: _one, ...merged } = s;
    const self = Object.keys(merged).length ? [merged] : [];
    return [...self, ...alts.flatMap((a) => resolve(a, seen + 1)), ...(s.allOf ?? []).flatMap((a) => resolve(a, seen + 1))];
  };
  let current = resolve(root);
  for (const seg of path) {
    current = current.flatMap((s) => {
      if (typeof seg === "number") return resolve(s.prefixItems?.[seg] ?? s.items);
      const prop = s.properties?.[seg];
      if (prop) return resolve(prop);
      return typeof s.additionalProperties === "object" ? resolve(s.additionalProperties) : [];
    });
  }
  return current;
}

/** Member names the schema allows in the object at `path`, with their descriptions. */
export function memberNames(root: Schema, path: readonly (string | number)[]): { name: string; description?: string }[] {
  const seen = new Map<string, string | undefined>();
  for (const s of schemasAt(root, path)) for (const [name, p] of Object.entries(s.properties ?? {})) if (!seen.has(name)) seen.set(name, p.description);
  return [...seen].map(([name, description]) => (description ? { name, description } : { name }));
}

/** Values the schema allows at `path` (enum, const and booleans), as JSON texts. */
export function valueChoices(root: Schema, path: readonly (string | number)[]): string[] {
  const out = new Set<string>();
  for (const s of schemasAt(root, path)) {
    for (const v of s.enum ?? []) out.add(JSON.stringify(v));
    if (s.const !== undefined) out.add(JSON.stringify(s.const));
    if (s.type === "boolean") {
      out.add("true");
      out.add("false");
    }
  }
  return [...out];
}

/**
 * What the cursor at `offset` is on: scans the text before it, keeping a stack
 * of open objects and arrays. Undefined inside a value that is not being
 * completed (a number, say) or outside any container.
 */
export function cursorContext(text: string, offset: number): CursorContext | undefined {
  type Frame = { kind: "object"; key?: string; expecting: "key" | "value"; present: string[] } | { kind: "array"; index: number };
  const stack: Frame[] = [];
  const keys: (string | number)[] = [];
  let i = 0;
  let stringStart = -1;
  let lastString = "";
  while (i < offset) {
    const c = text[i]!;
    if (stringStart >= 0) {
      if (c === "\\") i++;
      else if (c === '"') {
        try {
          lastString = JSON.parse(text.slice(stringStart, i + 1)) as string;
        } catch {
          lastString = "";
        }
        const top = stack.at(-1);
        if (top?.kind === "object" && top.expecting === "key") {
          top.key = lastString;
          top.present.push(lastString);
        }
        stringStart = -1;
      }
      i++;
      continue;
    }
    const top = stack.at(-1);
    if (c === '"') stringStart = i;
    else if (c === "{" || c === "[") {
      if (top) keys.push(top.kind === "object" ? (top.key ?? "") : top.index);
      stack.push(c === "{" ? { kind: "object", expecting: "key", present: [] } : { kind: "array", index: 0 });
    } else if (c === "}" || c === "]") {
      stack.pop();
      if (stack.length) keys.pop();
    } else if (c === ":" && top?.kind === "object") top.expecting = "value";
    else if (c === "," && top) {
      if (top.kind === "object") {
        top.expecting = "key";
        delete top.key;
      } else top.index++;
    }
    i++;
  }
  const top = stack.at(-1);
  if (!top) return undefined;
  const from = stringStart >= 0 ? stringStart : wordStart(text, offset);
  if (top.kind === "array") return { container: [...keys], expecting: "value", from, present: [] };
  if (top.expecting === "key") return { container: [...keys], expecting: "key", from, present: top.present.filter((k) => k !== lastString || stringStart < 0) };
  return { container: [...keys], expecting: "value", ...(top.key !== undefined ? { key: top.key } : {}), from, present: [] };
}

function wordStart(text: string, offset: number): number {
  let i = offset;
  while (i > 0 && /[\w$-]/.test(text[i - 1]!)) i--;
  return i;
}

/** The path of the value being written at the cursor (the container plus the key or array index). */
export function valuePath(ctx: CursorContext, text: string, offset: number): (string | number)[] {
  if (ctx.key !== undefined) return [...ctx.container, ctx.key];
  // in an array: count the commas at this array's depth before the cursor
  let depth = 0;
  let index = 0;
  let inString = false;
  for (let i = offset - 1; i >= 0; i--) {
    const c = text[i]!;
    if (inString) {
      if (c === '"' && text[i - 1] !== "\\") inString = false;
      continue;
    }
    if (c === '"') inString = true;
    else if (c === "]" || c === "}") depth++;
    else if (c === "[" || c === "{") {
      if (depth === 0) break;
      depth--;
    } else if (c === "," && depth === 0) index++;
  }
  return [...ctx.container, index];
}
