/**
 * The studio's open documents: each keeps the text it was opened with, so an
 * export of a document nobody changed is that text, byte for byte (the
 * customer owns its models: no reformatting, no reordered keys). A changed
 * document exports the text last typed in the JSON view when that text still
 * says the same thing, else the document formatted with two spaces.
 */

import { scanJson } from "./json-locate.js";

/** One open document. */
export interface StudioDocument {
  /** Unique within the studio (the file name, made unique). */
  key: string;
  /** The file name it came from (and is exported as). */
  fileName: string;
  /** Where it came from. */
  source: "example" | "file";
  /** The text it was opened with. */
  originalText: string;
  /** The document as it is now (parsed JSON). */
  value: unknown;
  /** The JSON view's text (what was last typed, or the value formatted after a visual edit). */
  text: string;
}

/** Deep equality of JSON values (object key order ignored, as JSON's meaning does). */
export function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== typeof b || a === null || b === null || typeof a !== "object") return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) {
    const bb = b as unknown[];
    return a.length === bb.length && a.every((x, i) => jsonEqual(x, bb[i]));
  }
  const ao = a as Record<string, unknown>;
  const bo = b as Record<string, unknown>;
  const ak = Object.keys(ao);
  return ak.length === Object.keys(bo).length && ak.every((k) => Object.hasOwn(bo, k) && jsonEqual(ao[k], bo[k]));
}

/** Parse a file's text into a document, or say why not (with the line and column). */
export function openDocument(fileName: string, text: string, source: StudioDocument["source"], taken: ReadonlySet<string> = new Set()): StudioDocument {
  const value = parseJson(text);
  let key = fileName;
  for (let n = 2; taken.has(key); n++) key = fileName.replace(/(\.json)?$/, ` (${n})$1`);
  return { key, fileName, source, originalText: text, value, text };
}

/** JSON.parse with an error that names the line and column. */
export function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    // where the text stops being JSON (the same in every browser, unlike JSON.parse's messages)
    const at = scanJson(text).errorAt ?? 0;
    const before = text.slice(0, at);
    const line = before.split("\n").length;
    const column = at - before.lastIndexOf("\n");
    const what = at >= text.length ? "the text ends before the document does" : `unexpected ${JSON.stringify(text[at])}`;
    throw new Error(`not JSON at line ${line}, column ${column}: ${what}`);
  }
}

/** Format a value as the studio writes changed documents. */
function formatJson(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}

/** Whether the document differs from what was opened. */
export function isChanged(doc: StudioDocument): boolean {
  return !jsonEqual(doc.value, JSON.parse(doc.originalText));
}

/** The text to export: the original when unchanged, the typed text when it says the same, else formatted. */
export function exportText(doc: StudioDocument): string {
  if (!isChanged(doc)) return doc.originalText;
  try {
    if (jsonEqual(JSON.parse(doc.text), doc.value)) return doc.text;
  } catch {
    // the JSON view holds an unfinished edit: export the last valid document
  }
  return formatJson(doc.value);
}

/** A document after a visual edit: the JSON view shows the new value formatted (the original text when back to unchanged). */
export function withValue(doc: StudioDocument, value: unknown): StudioDocument {
  const back = jsonEqual(value, JSON.parse(doc.originalText));
  return { ...doc, value, text: back ? doc.originalText : formatJson(value) };
}

/** A document after typing in the JSON view: the value follows when the text parses. */
export function withText(doc: StudioDocument, text: string): { doc: StudioDocument; error?: string } {
  try {
    return { doc: { ...doc, text, value: parseJson(text) } };
  } catch (e) {
    return { doc: { ...doc, text }, error: (e as Error).message };
  }
}
