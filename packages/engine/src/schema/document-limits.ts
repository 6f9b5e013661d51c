/**
 * The structural checks every document passes before zod and the compilers
 * see it: a bound on nesting depth (both recurse, so a deep enough document
 * would overflow the stack) and no prototype-reaching keys at any depth.
 *
 * The walk is iterative, so a document nested 100,000 levels deep is measured
 * without recursion.
 */
import { formatPath, type Issue } from "../core/errors.js";
import { catalogueIssue } from "../i18n/issues.js";
import { validationMessages } from "../i18n/messages/validation.js";

/**
 * How deeply objects and arrays may nest in a definition or scenario document.
 * The root object is level 1; `{"rules":[{"when":{}}]}` reaches level 4. Each
 * level of an `all`/`any` condition takes two (the object and its array).
 */
export const MAX_DOCUMENT_DEPTH = 64;

const FORBIDDEN_KEYS: ReadonlySet<string> = new Set(["__proto__", "constructor", "prototype"]);

interface Frame {
  readonly value: object;
  readonly path: (string | number)[];
  readonly parent: Frame | undefined;
}

/**
 * Issues for a document nested deeper than {@link MAX_DOCUMENT_DEPTH}, one
 * that refers to itself, and every `__proto__`, `constructor` or `prototype`
 * key (JSON.parse makes them own properties; copying one into an object would
 * reach its prototype, so they are refused rather than dropped).
 *
 * At most one depth issue is reported: the first place the limit is exceeded.
 *
 * @param input - the parsed document
 * @returns the issues, empty when the document's structure is acceptable
 * @internal
 */
export function documentStructureIssues(input: unknown): Issue[] {
  const out: Issue[] = [];
  if (typeof input !== "object" || input === null) return out;
  let depthReported = false;
  const stack: Frame[] = [{ value: input, path: [], parent: undefined }];
  while (stack.length) {
    const frame = stack.pop() as Frame;
    // Children are pushed in reverse so issues come out in document order.
    const children: Frame[] = [];
    const visit = (key: string | number, child: unknown): void => {
      if (typeof child !== "object" || child === null) return;
      const path = [...frame.path, key];
      for (let f: Frame | undefined = frame; f; f = f.parent) {
        if (f.value === child) {
          out.push(catalogueIssue(validationMessages, "cyclic", path, f.path.length ? { target: formatPath(f.path) } : { "target@": "theDocument" }, "cyclic"));
          return;
        }
      }
      if (path.length >= MAX_DOCUMENT_DEPTH) {
        if (!depthReported) {
          depthReported = true;
          out.push(catalogueIssue(validationMessages, "tooDeep", path, { max: MAX_DOCUMENT_DEPTH }, "too_deep"));
        }
        return;
      }
      children.push({ value: child, path, parent: frame });
    };
    if (Array.isArray(frame.value)) {
      frame.value.forEach((v: unknown, i) => visit(i, v));
    } else {
      for (const key of Object.keys(frame.value)) {
        if (FORBIDDEN_KEYS.has(key)) {
          out.push(catalogueIssue(validationMessages, "forbiddenKey", [...frame.path, key], { key }, "forbidden_key"));
        } else {
          visit(key, (frame.value as Record<string, unknown>)[key]);
        }
      }
    }
    for (let i = children.length - 1; i >= 0; i--) stack.push(children[i] as Frame);
  }
  return out;
}
