import { describe, expect, it } from "vitest";
import { formatMessage, placeholdersOf, resolveLocale, LOCALES, type Catalogue } from "../src/i18n/index.js";

// Every catalogue lives in src/i18n/messages/; load them all.
const modules = import.meta.glob<Record<string, unknown>>("../src/i18n/messages/*.ts", { eager: true });
const catalogues: Catalogue<string>[] = Object.values(modules).flatMap((m) =>
  Object.values(m).filter((v): v is Catalogue<string> => typeof v === "object" && v !== null && "domain" in v && "messages" in v),
);

describe("message catalogues", () => {
  it("finds the catalogues", () => {
    expect(catalogues.length).toBeGreaterThan(0);
    expect(new Set(catalogues.map((c) => c.domain)).size).toBe(catalogues.length);
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
