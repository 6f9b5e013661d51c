import { describe, expect, it } from "vitest";
import { formatIssue, validateDefinition } from "../src/index.js";

describe("prototype-reaching keys in documents", () => {
  it("are refused with their path instead of being dropped silently", () => {
    const doc = JSON.parse(
      '{"kind":"ruleset","id":"x","version":1,"rules":[{"id":"a","then":{"__proto__":{"polluted":true},"ok":1}},{"id":"b","when":{"fact":"a","op":"eq","value":{"constructor":1}},"then":{}}]}',
    ) as unknown;
    const r = validateDefinition(doc);
    expect(r.ok).toBe(false);
    expect(r.issues.map(formatIssue)).toEqual([
      'rules[0].then.__proto__: "__proto__" cannot be used as a name in a definition',
      'rules[1].when.value.constructor: "constructor" cannot be used as a name in a definition',
    ]);
    expect(({} as Record<string, unknown>)["polluted"]).toBeUndefined();
  });
});
