import type { TFunction } from "i18next";
import { formatDateTime, formatMoney, localizedName } from "../lib/format";
import type { BusinessUnit, Tier } from "../lib/types";
import type { MetricRow } from "../data/dashboards/types";

const TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/;
/** Record ids and the page's total are not shown: ids mean nothing to a reader, the total drives the pager. */
const HIDDEN = /(^id$|_id$|^total_count$)/;
const UNIT_COLUMNS = new Set(["business_unit", "issuing_unit", "home_unit"]);
const TIER_COLUMNS = new Set(["tier", "from_tier", "to_tier"]);

export interface DrillLookups {
  units: ReadonlyMap<string, BusinessUnit>;
  tiers: ReadonlyMap<string, Tier>;
  language: string;
}

/** The columns of a drill's records that are shown and exported. */
export function drillColumns(rows: readonly MetricRow[]): string[] {
  const keys = rows.length ? Object.keys(rows[0]) : [];
  return keys.filter((key) => !HIDDEN.test(key));
}

/** How many records the drill has in all (its functions return the count on every row). */
export const drillTotal = (rows: readonly MetricRow[]) => (rows.length ? Number(rows[0].total_count) || 0 : 0);

export const drillColumnLabel = (t: TFunction, metricKey: string, column: string) =>
  t([`metrics.${metricKey}.drill.${column}`, `dashboards.drillColumns.${column}`]);

/** One value of a drill record as text: names for units and tiers, labels for codes, yuan, dates, integers. */
export function drillValue(t: TFunction, metricKey: string, column: string, value: unknown, lookups: DrillLookups): string {
  if (value === null || value === undefined || value === "") return "";
  const text = String(value);
  if (UNIT_COLUMNS.has(column)) return lookups.units.has(text) ? localizedName(lookups.units.get(text), lookups.language) : t("dashboards.unknownValue");
  if (TIER_COLUMNS.has(column)) return lookups.tiers.has(text) ? localizedName(lookups.tiers.get(text), lookups.language) : t("dashboards.unknownValue");
  switch (column) {
    case "kind":
      return t([`points.entryKinds.${text}`, "dashboards.unknownValue"]);
    case "lot_kind":
      return t([`lotKinds.${text}`, "dashboards.unknownValue"]);
    case "channel":
      return t([`channels.${text}`, "dashboards.unknownValue"]);
    case "direction":
      return t([`metrics.${metricKey}.values.${text}`, "dashboards.unknownValue"]);
    case "reason":
      return t([`dashboards.drillValues.reason.${text}`, "dashboards.unknownValue"]);
    case "points":
      return Math.round(Number(text)).toLocaleString("en-US");
    default:
      break;
  }
  if (/(_yuan$|^amount$)/.test(column)) return formatMoney(text);
  if (TIMESTAMP.test(text)) return formatDateTime(text);
  if (typeof value === "number") return value.toLocaleString("en-US");
  return text;
}
