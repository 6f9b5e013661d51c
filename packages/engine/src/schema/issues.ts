/**
 * Turn zod issues into Ruleflow {@link Issue}s with plain-language messages.
 * Every message comes from a catalogue (`validation`, or `schema` for the
 * schemas' own `error:` texts), so `localizeIssues` can write it in zh-CN.
 */
import type { z } from "zod";
import { isIssueCode, type Issue, type IssueCode } from "../core/errors.js";
import type { MessageParams } from "../i18n/catalogue.js";
import { catalogueIssue } from "../i18n/issues.js";
import { schemaMessages } from "../i18n/messages/schema.js";
import { validationMessages } from "../i18n/messages/validation.js";

type ZodIssue = z.core.$ZodIssue;
type ValidationKey = keyof typeof validationMessages.messages.en;
type SchemaKey = keyof typeof schemaMessages.messages.en;

/**
 * A value as a message shows it: `{ name: text }` for a JSON literal, or
 * `{ "name@": key }` for a word written in each locale (nothing, an array...).
 * @internal
 */
function showParam(name: string, value: unknown): MessageParams {
  if (value === undefined) return { [`${name}@`]: "validation.nothing" };
  if (value === null) return { [name]: "null" };
  if (Array.isArray(value)) return { [`${name}@`]: "validation.anArray" };
  if (typeof value === "object") return { [`${name}@`]: "validation.anObject" };
  const s = JSON.stringify(value);
  return { [name]: s.length > 60 ? `${s.slice(0, 57)}...` : s };
}

const TYPE_WORDS: Readonly<Record<string, ValidationKey>> = {
  string: "aString",
  number: "aNumber",
  int: "anInt",
  boolean: "aBoolean",
  object: "anObject",
  array: "anArray",
  bigint: "aBigint",
  date: "aDate",
  record: "aRecord",
  tuple: "aTuple",
};

function article(type: string): string {
  return /^[aeiou]/.test(type) ? `an ${type}` : `a ${type}`;
}

function typeParam(type: string): MessageParams {
  return Object.hasOwn(TYPE_WORDS, type) ? { "expected@": `validation.${TYPE_WORDS[type]!}` } : { expected: article(type) };
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

const PLACEHOLDER = /\{([A-Za-z_][A-Za-z0-9_]*)\}/g;
const WORDS = new Map<string, SchemaKey>();
const PATTERNS: { key: SchemaKey; pattern: RegExp; names: string[] }[] = [];
for (const [key, template] of Object.entries(schemaMessages.messages.en) as [SchemaKey, string][]) {
  const names = [...template.matchAll(PLACEHOLDER)].map((m) => m[1]!);
  if (names.length === 0) WORDS.set(template, key);
  const source = template
    .split(PLACEHOLDER)
    .map((part, i) => (i % 2 === 0 ? escapeRegExp(part) : "(.+?)"))
    .join("");
  PATTERNS.push({ key, pattern: new RegExp(`^${source}$`, "s"), names });
}

/** The catalogue key and parameters of a schema's English message, if it is one of the catalogued texts. */
function recognise(message: string): { key: SchemaKey; params: MessageParams } | undefined {
  const word = WORDS.get(message);
  if (word !== undefined) return { key: word, params: {} };
  for (const { key, pattern, names } of PATTERNS) {
    if (names.length === 0) continue;
    const m = pattern.exec(message);
    if (!m) continue;
    const params: Record<string, string> = {};
    let consistent = true;
    names.forEach((name, i) => {
      const value = m[i + 1]!;
      if (Object.hasOwn(params, name) && params[name] !== value) consistent = false;
      params[name] = value;
    });
    if (!consistent) continue;
    const out: Record<string, string> = {};
    for (const [name, value] of Object.entries(params)) {
      const wordKey = WORDS.get(value);
      if (wordKey !== undefined) out[`${name}@`] = `schema.${wordKey}`;
      else out[name] = value;
    }
    return { key, params: out };
  }
  return undefined;
}

/**
 * An issue with a schema's own message, optionally followed by ", got X".
 * Messages not in the schema catalogue (an expression's syntax error, say) are
 * kept as written.
 */
function messageIssue(code: IssueCode, path: (string | number)[], message: string, got?: { value: unknown }): Issue {
  const known = recognise(message);
  if (!known) return { code, path, message: got ? `${message}, got ${englishShow(got.value)}` : message };
  if (!got) return catalogueIssue(schemaMessages, known.key, path, known.params, code);
  return catalogueIssue(validationMessages, "messageGot", path, { ...known.params, "message@": `schema.${known.key}`, ...showParam("got", got.value) }, code);
}

function englishShow(value: unknown): string {
  const p = showParam("got", value);
  return "got" in p ? String(p["got"]) : (validationMessages.messages.en[String(p["got@"]).slice("validation.".length) as ValidationKey] ?? "");
}

/** Score a union branch: lower is a better match for the input. */
function branchScore(issues: readonly ZodIssue[]): number {
  let score = 0;
  for (const i of issues) {
    if (i.code === "unrecognized_keys" && i.path.length === 0) score += 100 * i.keys.length;
    else if (i.code === "invalid_type" && i.path.length === 1 && i.input === undefined) score += 10;
    else score += 1;
  }
  return score;
}

/** The code a schema's own check put in its issue's `params.code`; `invalid_value` when it named none. */
function customCode(code: unknown): IssueCode {
  return isIssueCode(code) ? code : "invalid_value";
}

function convert(issue: ZodIssue, prefix: readonly PropertyKey[], out: Issue[]): void {
  const path = [...prefix, ...issue.path].map((p) => (typeof p === "symbol" ? String(p) : p));
  switch (issue.code) {
    case "invalid_union": {
      const branches = issue.errors;
      let best: readonly ZodIssue[] | undefined;
      let bestScore = Infinity;
      for (const b of branches) {
        const s = branchScore(b);
        if (s < bestScore) {
          bestScore = s;
          best = b;
        }
      }
      const empty = typeof issue.input === "object" && issue.input !== null && !Array.isArray(issue.input) && Object.keys(issue.input).length === 0;
      if (best && bestScore < 100 && !empty) {
        for (const sub of best) convert(sub, path, out);
      } else if (issue.message === "Invalid input") {
        out.push(catalogueIssue(validationMessages, "messageGot", path, { "message@": "invalidInput", ...showParam("got", issue.input) }, "invalid_union"));
      } else {
        out.push(messageIssue("invalid_union", path, issue.message, { value: issue.input }));
      }
      return;
    }
    case "unrecognized_keys":
      for (const key of issue.keys) {
        out.push(catalogueIssue(validationMessages, "unknownField", [...path, key], {}, "unrecognized_key"));
      }
      return;
    case "invalid_type": {
      const expected = typeParam(String(issue.expected));
      out.push(
        issue.input === undefined
          ? catalogueIssue(validationMessages, "required", path, expected, "invalid_type")
          : catalogueIssue(validationMessages, "expectedGot", path, { ...expected, ...showParam("got", issue.input) }, "invalid_type"),
      );
      return;
    }
    case "invalid_value": {
      const values = issue.values.map((v) => (typeof v === "string" ? v : JSON.stringify(v)));
      const single = values.length === 1;
      const params: MessageParams = single ? { expected: JSON.stringify(issue.values[0]) } : { "values[]": JSON.stringify(values) };
      const key: ValidationKey =
        issue.input === undefined ? (single ? "required" : "requiredOneOf") : single ? "expectedGot" : "expectedOneOfGot";
      out.push(catalogueIssue(validationMessages, key, path, issue.input === undefined ? params : { ...params, ...showParam("got", issue.input) }, "invalid_value"));
      return;
    }
    case "too_small":
    case "too_big": {
      const custom = !issue.message.startsWith("Too ");
      if (custom) {
        out.push(messageIssue(issue.code, path, issue.message, { value: issue.input }));
        return;
      }
      const small = issue.code === "too_small";
      const limit = String(small ? issue.minimum : issue.maximum);
      const got = showParam("got", issue.input);
      out.push(
        issue.origin === "array"
          ? catalogueIssue(validationMessages, small ? "atLeastItems" : "atMostItems", path, { limit, ...got }, issue.code)
          : issue.origin === "string"
            ? catalogueIssue(validationMessages, small ? "atLeastChars" : "atMostChars", path, { limit, ...got }, issue.code)
            : catalogueIssue(validationMessages, "numberBound", path, { op: `${small ? ">" : "<"}${issue.inclusive ? "=" : ""}`, limit, ...got }, issue.code),
      );
      return;
    }
    case "custom":
      // a check that built its issue from a catalogue passes the key and parameters on
      if (typeof issue.params?.["messageKey"] === "string") {
        out.push({ code: customCode(issue.params["code"]), path, message: issue.message, messageKey: issue.params["messageKey"], params: issue.params["messageParams"] as MessageParams });
        return;
      }
      out.push(messageIssue(customCode(issue.params?.["code"]), path, issue.message));
      return;
    case "invalid_format":
    case "invalid_key":
      out.push(messageIssue(issue.code, path, issue.message, { value: issue.input }));
      return;
    default:
      // not_multiple_of and invalid_element: no Ruleflow schema checks them; a value that is not allowed
      out.push(messageIssue("invalid_value", path, issue.message, { value: issue.input }));
  }
}

/** Convert zod issues (parsed with `reportInput: true`) into Ruleflow issues. */
export function fromZodIssues(issues: readonly ZodIssue[], prefix: readonly PropertyKey[] = []): Issue[] {
  const out: Issue[] = [];
  for (const i of issues) convert(i, prefix, out);
  return out;
}
