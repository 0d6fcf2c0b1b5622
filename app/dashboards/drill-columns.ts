import type { TFunction } from "i18next";
import { formatDateTime, formatMoney, localizedName } from "../lib/format";
import type { BusinessUnit, Tier } from "../lib/types";
import type { MetricRow } from "../data/dashboards/types";

const TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/;
const HIDDEN = /(^id$|_id$)/;

export interface DrillLookups {
  units: ReadonlyMap<string, BusinessUnit>;
  tiers: ReadonlyMap<string, Tier>;
  language: string;
}

/** The columns of a drill's records shown and exported: ids are left out, except a unit's (shown by its name). */
export function drillColumns(rows: readonly MetricRow[]): string[] {
  const keys = rows.length ? Object.keys(rows[0]) : [];
  return keys.filter((key) => key === "business_unit_id" || !HIDDEN.test(key));
}

export const drillColumnLabel = (t: TFunction, metricKey: string, column: string) =>
  t([`metrics.${metricKey}.drill.${column}`, `dashboards.drillColumns.${column}`]);

/** One value of a drill record as text: names for units and tiers, labels for lot kinds and channels, yuan, dates, integers. */
export function drillValue(t: TFunction, column: string, value: unknown, lookups: DrillLookups): string {
  if (value === null || value === undefined || value === "") return "";
  const text = String(value);
  if (column === "business_unit_id" || column === "business_unit") return localizedName(lookups.units.get(text), lookups.language);
  if (column === "tier" || column === "tier_code") return lookups.tiers.has(text) ? localizedName(lookups.tiers.get(text), lookups.language) : text;
  if (column === "lot_kind" || column === "kind") return t([`lotKinds.${text}`, `dashboards.drillValues.${text}`, "dashboards.unknownValue"]);
  if (column === "channel") return t([`channels.${text}`, "dashboards.unknownValue"]);
  if (/(_yuan$|^amount$)/.test(column)) return formatMoney(text);
  if (typeof value === "number") return value.toLocaleString("en-US");
  if (TIMESTAMP.test(text)) return formatDateTime(text);
  if (typeof value === "boolean") return t(value ? "common.yes" : "common.no");
  return text;
}
