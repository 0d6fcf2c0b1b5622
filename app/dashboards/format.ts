/**
 * How dashboard numbers and periods read: points and counts as integers with separators, yuan with two
 * decimals, a ratio (0..1) as a percent with one decimal. Callers keep them on one line (white-space: nowrap).
 */
import type { Grain } from "../../core/metrics/grains.ts";
import type { MeasureUnit } from "../../core/metrics/types.ts";
import { formatMoney } from "../lib/format";

type Value = number | string | null | undefined;

const numeric = (value: Value) => {
  if (value === null || value === undefined || value === "") return null;
  const n = Number(value);
  return Number.isFinite(n) ? n : null;
};

export function formatMeasure(value: Value, unit: MeasureUnit): string {
  const n = numeric(value);
  if (n === null) return "—";
  switch (unit) {
    case "yuan":
      return formatMoney(n);
    case "ratio":
      return `${(n * 100).toLocaleString("en-US", { minimumFractionDigits: 1, maximumFractionDigits: 1 })}%`;
    default:
      return Math.round(n).toLocaleString("en-US");
  }
}

/** The short form for chart axes: 12.3K / 4.5M for large counts, ¥ without decimals, percent without. */
export function formatAxis(value: Value, unit: MeasureUnit): string {
  const n = numeric(value);
  if (n === null) return "";
  if (unit === "ratio") return `${Math.round(n * 100)}%`;
  const abs = Math.abs(n);
  const body = abs >= 1e6 ? `${+(n / 1e6).toFixed(1)}M` : abs >= 1e4 ? `${+(n / 1e3).toFixed(1)}K` : Math.round(n).toLocaleString("en-US");
  return unit === "yuan" ? `¥${body}` : body;
}

/** A number for a file: plain, full precision for yuan (2 decimals) and ratios (4), integers otherwise. */
export function exportNumber(value: Value, unit: MeasureUnit): string {
  const n = numeric(value);
  if (n === null) return "";
  if (unit === "yuan") return n.toFixed(2);
  if (unit === "ratio") return n.toFixed(4);
  return String(Math.round(n));
}

/** A period bucket (its first day, YYYY-MM-DD): the day, the week's Monday, or the month. */
export function periodText(value: string, grain: Grain): string {
  const day = String(value).slice(0, 10);
  return grain === "month" ? day.slice(0, 7) : day;
}
