import { useCallback, useMemo } from "react";
import { useTranslation } from "react-i18next";
import type { MetricDimension, MetricMeasure, MetricModule } from "../../core/metrics/types.ts";
import type { Grain } from "../../core/metrics/grains.ts";
import { useLookup } from "../components/useLookup";
import { localizedName } from "../lib/format";
import type { BusinessUnit, Tier } from "../lib/types";
import { periodText } from "./format";

/**
 * The words of a metric on screen and in files: its title, its measures, its dimensions and each
 * dimension value (unit and tier names, lot kinds and channels from their i18n, the metric's own values).
 */
export function useMetricLabels(grain: Grain) {
  const { t, i18n } = useTranslation();
  const units = useLookup<BusinessUnit>("business_units");
  const tiers = useLookup<Tier>("tiers", "code");

  const metricTitle = useCallback((metric: Pick<MetricModule, "key">) => t(`metrics.${metric.key}.title`), [t]);
  const measureLabel = useCallback((metric: Pick<MetricModule, "key">, measure: MetricMeasure) => t(`metrics.${metric.key}.measures.${measure.key}`), [t]);
  const dimensionLabel = useCallback(
    (metric: Pick<MetricModule, "key">, dimension: MetricDimension) =>
      t([`metrics.${metric.key}.dimensions.${dimension.key}`, `dashboards.dimensions.${dimension.key}`, `dashboards.dimensions.${dimension.type}`]),
    [t],
  );
  const valueLabel = useCallback(
    (metric: Pick<MetricModule, "key">, dimension: MetricDimension, value: unknown): string => {
      if (value === null || value === undefined || value === "") return t("dashboards.noValue");
      const text = String(value);
      switch (dimension.type) {
        case "period":
          return periodText(text, grain);
        case "business_unit":
          return units.map.has(text) ? localizedName(units.map.get(text), i18n.language) : t("dashboards.unknownValue");
        case "tier":
          return tiers.map.has(text) ? localizedName(tiers.map.get(text), i18n.language) : t("dashboards.unknownValue");
        case "lot_kind":
          return t([`lotKinds.${text}`, "dashboards.unknownValue"]);
        case "channel":
          return t([`metrics.${metric.key}.values.${text}`, `channels.${text}`, "dashboards.unknownValue"]);
        default:
          return t([`metrics.${metric.key}.values.${text}`, "dashboards.unknownValue"]);
      }
    },
    [t, grain, units.map, tiers.map, i18n.language],
  );
  return useMemo(() => ({ metricTitle, measureLabel, dimensionLabel, valueLabel }), [metricTitle, measureLabel, dimensionLabel, valueLabel]);
}

export type MetricLabels = ReturnType<typeof useMetricLabels>;
