import { readdirSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { formatMessage, placeholdersOf, resolveLocale, LOCALES, type Catalogue } from "../src/i18n/index.js";
import { CATALOGUES_BY_DOMAIN } from "../src/i18n/messages/index.js";

// Every catalogue lives in src/i18n/messages/; load them all.
const dir = new URL("../src/i18n/messages/", import.meta.url);
const files = readdirSync(dir).filter((f) => f.endsWith(".ts") && f !== "index.ts");
const modules = await Promise.all(files.map((f) => import(new URL(f, dir).href) as Promise<Record<string, unknown>>));
const catalogues: Catalogue<string>[] = modules.flatMap((m) =>
  Object.values(m).filter((v): v is Catalogue<string> => typeof v === "object" && v !== null && "domain" in v && "messages" in v),
);

describe("message catalogues", () => {
  it("finds the catalogues", () => {
    expect(catalogues.length).toBeGreaterThan(0);
    expect(new Set(catalogues.map((c) => c.domain)).size).toBe(catalogues.length);
  });

  it("lists every catalogue module in messages/index.ts, so issues can be localized", () => {
    expect(Object.keys(CATALOGUES_BY_DOMAIN).sort()).toEqual(catalogues.map((c) => c.domain).sort());
  });

  for (const catalogue of catalogues) {
    it(`${catalogue.domain}: every key exists in every locale, with the same placeholders`, () => {
      const keys = Object.keys(catalogue.messages.en).sort();
      for (const locale of LOCALES) {
        expect(Object.keys(catalogue.messages[locale]).sort(), locale).toEqual(keys);
        for (const key of keys) {
          const template = catalogue.messages[locale][key]!;
          expect(template.trim().length, `${locale} ${key}`).toBeGreaterThan(0);
          expect(placeholdersOf(template), `${locale} ${key}`).toEqual(placeholdersOf(catalogue.messages.en[key]!));
        }
      }
    });

    it(`${catalogue.domain}: Chinese messages are written in Chinese`, () => {
      for (const [key, template] of Object.entries(catalogue.messages["zh-CN"])) {
        // Technical tokens (codes, ISO durations, fact paths) may stay Latin; every message has Chinese words.
        expect(template.replace(/\{[A-Za-z_][A-Za-z0-9_]*\}/g, ""), `${catalogue.domain}.${key}`).toMatch(/[\u4e00-\u9fff]/);
      }
    });
  }

  it("formats placeholders and refuses a missing parameter", () => {
    expect(() => formatMessage({ domain: "t", messages: { en: { k: "a {x}" }, "zh-CN": { k: "甲 {x}" } } }, "en", "k", {})).toThrow(/needs the parameter x/);
    expect(formatMessage({ domain: "t", messages: { en: { k: "a {x}" }, "zh-CN": { k: "甲 {x}" } } }, "zh-CN", "k", { x: 3 })).toBe("甲 3");
  });

  it("resolves locale options and refuses unknown ones", () => {
    expect(resolveLocale(undefined)).toBe("en");
    expect(resolveLocale("zh-Hans")).toBe("zh-CN");
    expect(resolveLocale("ZH-cn")).toBe("zh-CN");
    expect(() => resolveLocale("fr")).toThrow(/locale: expected one of en, zh-CN, got "fr"/);
    expect(() => resolveLocale("__proto__")).toThrow(/locale/);
  });
});

describe("localized issues", () => {
  it("re-renders a catalogue issue in Chinese and leaves other issues alone", async () => {
    const { catalogueIssue, localizeIssues } = await import("../src/i18n/index.js");
    const { commonMessages } = await import("../src/i18n/messages/common.js");
    const { ValidationError } = await import("../src/core/errors.js");
    const issue = catalogueIssue(commonMessages, "missing", ["rules", 0, "when"], {}, "invalid_value");
    expect(issue).toMatchObject({ code: "invalid_value", message: "missing", messageKey: "common.missing" });
    const plain = { code: "invalid_value" as const, path: ["a"], message: "plain" };
    const [zh, kept] = localizeIssues([issue, plain], "zh-CN");
    expect(zh!.message).toBe("缺失");
    expect(kept).toBe(plain);
    expect(new ValidationError([zh!], "definition", "zh-CN").message).toBe("定义无效：1 个问题\n  rules[0].when: 缺失");
    expect(new ValidationError([issue]).message).toBe("Invalid definition: 1 problem\n  rules[0].when: missing");
  });
});
