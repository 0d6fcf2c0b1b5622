import { useGetIdentity } from "@refinedev/core";
import { DatePicker, Select, Segmented, Space, Typography } from "antd";
import dayjs, { type Dayjs } from "dayjs";
import { useTranslation } from "react-i18next";
import { DEFAULT_RANGES, type DefaultRange } from "../../core/dashboards/types.ts";
import type { DashboardFilter } from "../../core/metrics/types.ts";
import { GRAINS, type Grain } from "../../core/metrics/grains.ts";
import { LOT_KINDS } from "../../core/enums/index.ts";
import { useLookup } from "../components/useLookup";
import { localizedName } from "../lib/format";
import type { BusinessUnit, Tier } from "../lib/types";
import type { Identity } from "../providers/auth-provider";
import { dashboardUnits } from "./dashboard-units";
import { MAX_RANGE_DAYS, presetOf, rangeDates, type DashboardFilters } from "./filters";

interface Props {
  filters: DashboardFilters;
  /** The filters at least one of the dashboard's metrics honours; the others are not offered. */
  honoured: ReadonlySet<DashboardFilter>;
  today: string;
  onChange: (filters: DashboardFilters) => void;
}

/** Date range (with presets), grain, and the unit, tier and lot kind filters the dashboard's metrics honour. */
export function FilterBar({ filters, honoured, today, onChange }: Props) {
  const { t, i18n } = useTranslation();
  const units = useLookup<BusinessUnit>("business_units");
  const { data: identity } = useGetIdentity<Identity | null>();
  const scope = dashboardUnits(identity?.roles ?? []);
  const tiers = useLookup<Tier>("tiers");
  const preset = presetOf(filters, today);
  const set = (patch: Partial<DashboardFilters>) => onChange({ ...filters, ...patch });
  const label = (text: string) => (
    <Typography.Text type="secondary" style={{ whiteSpace: "nowrap" }}>
      {text}
    </Typography.Text>
  );

  return (
    <Space wrap size={[16, 8]} role="search" aria-label={t("dashboards.filters.label")}>
      <Space size={8}>
        {label(t("dashboards.filters.range"))}
        <Select<DefaultRange | "custom">
          aria-label={t("dashboards.filters.preset")}
          style={{ width: 140 }}
          value={preset ?? "custom"}
          options={[
            ...DEFAULT_RANGES.map((range) => ({ value: range, label: t(`dashboards.ranges.${range}`) })),
            { value: "custom", label: t("dashboards.ranges.custom"), disabled: true },
          ]}
          onChange={(value) => value !== "custom" && set(rangeDates(value, today))}
        />
        <DatePicker.RangePicker
          aria-label={t("dashboards.filters.dates")}
          allowClear={false}
          value={[dayjs(filters.from), dayjs(filters.to)]}
          disabledDate={(day: Dayjs, info) => {
            if (day.isAfter(dayjs(today), "day")) return true;
            const from = info?.from;
            return !!from && Math.abs(day.diff(from, "day")) >= MAX_RANGE_DAYS;
          }}
          onChange={(range) => {
            if (range?.[0] && range[1]) set({ from: range[0].format("YYYY-MM-DD"), to: range[1].format("YYYY-MM-DD") });
          }}
        />
      </Space>
      {honoured.has("period") && (
        <Space size={8}>
          {label(t("dashboards.filters.grain"))}
          <Segmented<Grain>
            aria-label={t("dashboards.filters.grain")}
            value={filters.grain}
            options={GRAINS.map((grain) => ({ value: grain, label: t(`dashboards.grains.${grain}`) }))}
            onChange={(grain) => set({ grain })}
          />
        </Space>
      )}
      {honoured.has("business_unit") && (
        <Select
          mode="multiple"
          allowClear
          aria-label={t("dashboards.filters.businessUnits")}
          placeholder={t("dashboards.filters.allBusinessUnits")}
          style={{ minWidth: 200 }}
          maxTagCount="responsive"
          value={filters.businessUnits}
          options={units.rows.filter((unit) => !scope || scope.has(unit.id)).map((unit) => ({ value: unit.id, label: localizedName(unit, i18n.language) }))}
          optionFilterProp="label"
          onChange={(businessUnits) => set({ businessUnits })}
        />
      )}
      {honoured.has("tier") && (
        <Select
          mode="multiple"
          allowClear
          aria-label={t("dashboards.filters.tiers")}
          placeholder={t("dashboards.filters.allTiers")}
          style={{ minWidth: 160 }}
          maxTagCount="responsive"
          value={filters.tiers}
          options={[...tiers.rows].sort((a, b) => a.rank - b.rank).map((tier) => ({ value: tier.code, label: localizedName(tier, i18n.language) }))}
          optionFilterProp="label"
          onChange={(tierCodes) => set({ tiers: tierCodes })}
        />
      )}
      {honoured.has("lot_kind") && (
        <Select
          mode="multiple"
          allowClear
          aria-label={t("dashboards.filters.lotKinds")}
          placeholder={t("dashboards.filters.allLotKinds")}
          style={{ minWidth: 160 }}
          maxTagCount="responsive"
          value={filters.lotKinds}
          options={LOT_KINDS.map((kind) => ({ value: kind, label: t(`lotKinds.${kind}`) }))}
          onChange={(lotKinds) => set({ lotKinds })}
        />
      )}
    </Space>
  );
}
