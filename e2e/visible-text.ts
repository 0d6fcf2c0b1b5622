import { readdirSync, readFileSync } from "node:fs";
import type { Page } from "@playwright/test";

/** The top-level namespaces of app/i18n: a visible "members.fields.name" is a key nobody translated. */
const NAMESPACES = [
  ...new Set(
    readdirSync(new URL("../app/i18n/", import.meta.url))
      .filter((file) => file.endsWith(".json"))
      .flatMap((file) => Object.keys(JSON.parse(readFileSync(new URL(`../app/i18n/${file}`, import.meta.url), "utf8")) as object)),
  ),
];

const I18N_KEY = new RegExp(`\\b(?:${NAMESPACES.join("|")})\\.[A-Za-z0-9_]+(?:\\.[A-Za-z0-9_]+)*\\b`, "g");
const UUID = /\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/gi;
/** A raw identifier (table or column name, enum value) shown to a Chinese-speaking operator. */
const SNAKE_CASE = /\b[a-z][a-z0-9]*(?:_[a-z0-9]+)+\b/g;

/**
 * The text a person sees on the page: visible text nodes, leaving out what is shown on purpose as
 * data or code (<code>, <pre>, form inputs, anything marked translate="no", such as rule keys).
 */
function visibleText(page: Page): Promise<{ lang: string; texts: string[] }> {
  return page.evaluate(() => {
    const skip = "code, pre, script, style, textarea, [translate='no']";
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    const texts: string[] = [];
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const parent = node.parentElement;
      const text = node.textContent?.trim();
      if (!text || !parent || parent.closest(skip) || !parent.checkVisibility({ visibilityProperty: true, opacityProperty: true })) continue;
      texts.push(text);
    }
    return { lang: document.documentElement.lang, texts };
  });
}

/** Untranslated keys, UUIDs and (in the Chinese UI) raw snake_case identifiers visible on the page. */
export async function untranslatedText(page: Page): Promise<string[]> {
  const { lang, texts } = await visibleText(page);
  const patterns = lang === "en" ? [I18N_KEY, UUID] : [I18N_KEY, UUID, SNAKE_CASE];
  return [...new Set(texts.flatMap((text) => patterns.flatMap((pattern) => text.match(pattern) ?? [])))];
}
