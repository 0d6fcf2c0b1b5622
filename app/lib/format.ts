import dayjs from "dayjs";

/** ¥1,234.50 — amounts are yuan; always two decimals. */
export function formatMoney(yuan: number | string | null | undefined): string {
  if (yuan === null || yuan === undefined || yuan === "") return "—";
  const value = Number(yuan);
  if (!Number.isFinite(value)) return "—";
  const sign = value < 0 ? "-" : "";
  const body = Math.abs(value).toLocaleString("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 });
  return `${sign}¥${body}`;
}

/** A timestamp in the browser's (the user's) time zone. */
export function formatDateTime(value: string | null | undefined): string {
  return value ? dayjs(value).format("YYYY-MM-DD HH:mm") : "—";
}

/** Integers with thousands separators: 12,345. */
export function formatCount(value: number | null | undefined): string {
  return typeof value === "number" ? value.toLocaleString("en-US") : "—";
}

/** The English name in English when there is one, the Chinese name otherwise. */
export function localizedName(row: { name?: string | null; name_en?: string | null } | undefined, language: string) {
  if (!row) return "—";
  return (language === "en" && row.name_en ? row.name_en : row.name) ?? "—";
}

/** The description in the current language, the other one when it has none. */
export function localizedDescription(row: { description?: string | null; description_en?: string | null } | undefined, language: string) {
  if (!row) return null;
  return (language === "en" ? row.description_en || row.description : row.description || row.description_en) ?? null;
}

/** Select options of named rows (business units...): id as value, name in the current language as label. */
export function nameOptions(rows: readonly { id: string; name?: string | null; name_en?: string | null }[], language: string) {
  return rows.map((row) => ({ value: row.id, label: localizedName(row, language) }));
}
