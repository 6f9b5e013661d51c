/** Notification templates: path lookups only, no code, no prototypes. */
import { describe, expect, it } from "vitest";
import { isRuleflowError } from "../src/core/errors.js";
import { compileTemplate, escapeHtml, renderTemplate } from "../src/runtime/template.js";

const n = {
  instanceId: "q-42",
  recipients: ["user:chen", "user:lu"],
  template: "approval-requested",
  data: { node: "countersign", amount: 380000, ok: true, input: { customer: { name: "ACME <Ltd>" }, lines: [{ sku: "A" }, { sku: "B" }] } },
};

describe("templates", () => {
  it("inserts values by path: strings, numbers, booleans, arrays, array items, objects as JSON", () => {
    expect(renderTemplate("Hi {{data.input.customer.name}}, {{instanceId}} at {{ data.node }}", n)).toBe("Hi ACME <Ltd>, q-42 at countersign");
    expect(renderTemplate("{{data.amount}} {{data.ok}} [{{recipients}}] {{recipients.1}} {{data.input.lines.0.sku}}", n)).toBe("380000 true [user:chen, user:lu] user:lu A");
    expect(renderTemplate("{{data.input.lines.1}}", n)).toBe('{"sku":"B"}');
    expect(renderTemplate("no variables at all", n)).toBe("no variables at all");
  });

  it("renders missing values as nothing, or keeps the placeholder when asked", () => {
    expect(renderTemplate("[{{data.nope}}][{{data.input.customer.name.first}}]", n)).toBe("[][]");
    expect(renderTemplate("[{{data.nope}}]", n, { missing: "keep" })).toBe("[{{data.nope}}]");
  });

  it("escapes with the given function, except triple braces", () => {
    const t = compileTemplate("<b>{{data.input.customer.name}}</b> {{{data.input.customer.name}}}", { escape: escapeHtml });
    expect(t(n)).toBe("<b>ACME &lt;Ltd&gt;</b> ACME <Ltd>");
    expect(escapeHtml(`"it's" & co`)).toBe("&quot;it&#39;s&quot; &amp; co");
  });

  it("never reaches prototypes or runs code", () => {
    for (const bad of ["{{constructor}}", "{{data.__proto__}}", "{{a.prototype.x}}", "{{ data.node + 1 }}", "{{toString()}}", "{{}}", "{{a..b}}", "{{a[0]}}"]) {
      expect(() => compileTemplate(bad), bad).toThrow(/template/);
    }
    expect(renderTemplate("{{toString}}{{hasOwnProperty}}{{length}}", { })).toBe("");
    expect(renderTemplate("{{data.node.length}}", n)).toBe("");
  });

  it("reports an unclosed brace with its position and how to fix it", () => {
    try {
      compileTemplate("Hello {{name");
      expect.unreachable();
    } catch (e) {
      expect(isRuleflowError(e)).toBe(true);
      expect((e as Error).message).toContain('"{{" is never closed; add "}}"');
      expect((e as Error).message).toContain("at position 6");
    }
  });
});
