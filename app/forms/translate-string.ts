import { englishStringTranslator, replaceStringParameters, TranslatableString } from "@rjsf/utils";
import type { TFunction } from "i18next";

const NAMES = new Map<string, string>(Object.entries(TranslatableString).map(([name, text]) => [text, name]));

/**
 * RJSF's own texts (the array field's add/remove/move buttons, "Now", "Clear", ...) from our i18n:
 * `builder.rjsf.<TranslatableString member>`, with RJSF's `%1` placeholders. A text we have no
 * translation for falls back to RJSF's English so nothing renders as a raw key.
 */
export function rjsfTranslator(t: TFunction) {
  return (text: TranslatableString, params?: string[]): string => {
    const key = `builder.rjsf.${NAMES.get(text) ?? ""}`;
    const translated = t(key, { defaultValue: "" });
    return translated ? replaceStringParameters(translated, params) : englishStringTranslator(text, params);
  };
}
