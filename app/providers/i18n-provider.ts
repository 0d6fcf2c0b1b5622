import type { I18nProvider } from "@refinedev/core";
import { useMemo } from "react";
import { useTranslation } from "react-i18next";
import { changeLanguage, currentLanguage, isLanguage } from "../i18n";

/** Refine's i18nProvider on top of i18next; a new object per language so menus re-render. */
export function useI18nProvider(): I18nProvider {
  // react-i18next hands out a new `t` whenever the language changes.
  const { t } = useTranslation();
  return useMemo(
    () => ({
      translate: (key: string, options?: unknown, defaultMessage?: string) => {
        const params = typeof options === "object" && options !== null ? (options as Record<string, unknown>) : {};
        const fallback = typeof options === "string" ? options : defaultMessage;
        return String(t(key, { ...params, defaultValue: fallback ?? key }));
      },
      changeLocale: (lang: string) => (isLanguage(lang) ? changeLanguage(lang) : undefined),
      getLocale: () => currentLanguage(),
    }),
    [t],
  );
}
