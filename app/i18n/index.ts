import dayjs from "dayjs";
import "dayjs/locale/zh-cn";
import "dayjs/locale/en";
import i18n from "i18next";
import { initReactI18next } from "react-i18next";
import en from "./en.json";
import zhCN from "./zh-CN.json";
import builderEn from "./builder.en.json";
import builderZhCN from "./builder.zh-CN.json";
import rulesEn from "./rules.en.json";
import rulesZhCN from "./rules.zh-CN.json";
import ruleBuilderEn from "./rule-builder.en.json";
import ruleBuilderZhCN from "./rule-builder.zh-CN.json";
import metricsEn from "./metrics.en.json";
import metricsZhCN from "./metrics.zh-CN.json";
import dashboardsEn from "./dashboards.en.json";
import dashboardsZhCN from "./dashboards.zh-CN.json";
import benefitsEn from "./benefits.en.json";
import benefitsZhCN from "./benefits.zh-CN.json";
import segmentsEn from "./segments.en.json";
import segmentsZhCN from "./segments.zh-CN.json";
import settlementEn from "./settlement.en.json";
import settlementZhCN from "./settlement.zh-CN.json";
import messagingEn from "./messaging.en.json";
import messagingZhCN from "./messaging.zh-CN.json";

export const LANGUAGES = ["zh-CN", "en"] as const;
export type Language = (typeof LANGUAGES)[number];
export const DEFAULT_LANGUAGE: Language = "zh-CN";
const STORAGE_KEY = "umb.locale";

export const isLanguage = (value: unknown): value is Language =>
  typeof value === "string" && (LANGUAGES as readonly string[]).includes(value);

function storedLanguage(): Language {
  try {
    const value = window.localStorage.getItem(STORAGE_KEY);
    return isLanguage(value) ? value : DEFAULT_LANGUAGE;
  } catch {
    return DEFAULT_LANGUAGE;
  }
}

const dayjsLocale = (lang: Language) => (lang === "en" ? "en" : "zh-cn");

/** Switches i18next, dayjs and <html lang>, and remembers the choice for the next visit. */
export async function changeLanguage(lang: Language) {
  try {
    window.localStorage.setItem(STORAGE_KEY, lang);
  } catch {
    // Private mode: the choice lasts for this page only.
  }
  await i18n.changeLanguage(lang);
}

i18n.on("languageChanged", (lng) => {
  const lang = isLanguage(lng) ? lng : DEFAULT_LANGUAGE;
  dayjs.locale(dayjsLocale(lang));
  document.documentElement.lang = lang;
});

const initial = storedLanguage();
dayjs.locale(dayjsLocale(initial));
document.documentElement.lang = initial;

void i18n.use(initReactI18next).init({
  resources: { "zh-CN": { translation: { ...zhCN, ...builderZhCN, ...rulesZhCN, ...ruleBuilderZhCN, ...metricsZhCN, ...dashboardsZhCN, ...benefitsZhCN, ...segmentsZhCN, ...settlementZhCN, ...messagingZhCN } }, en: { translation: { ...en, ...builderEn, ...rulesEn, ...ruleBuilderEn, ...metricsEn, ...dashboardsEn, ...benefitsEn, ...segmentsEn, ...settlementEn, ...messagingEn } } },
  lng: initial,
  fallbackLng: DEFAULT_LANGUAGE,
  supportedLngs: [...LANGUAGES],
  interpolation: { escapeValue: false },
  returnNull: false,
  initAsync: false,
  // In development (and so in the end-to-end tests, which fail on console errors) a key missing from
  // the translations is an error instead of the key shown on screen.
  saveMissing: import.meta.env.DEV,
  missingKeyHandler: (languages, _namespace, key) => console.error(`i18n: missing translation "${key}" (${languages.join(", ")})`),
});

export const currentLanguage = (): Language => (isLanguage(i18n.language) ? i18n.language : DEFAULT_LANGUAGE);

export default i18n;
