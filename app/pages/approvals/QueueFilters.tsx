import type { CrudFilter } from "@refinedev/core";
import { Badge, Button, Col, Collapse, DatePicker, Grid, InputNumber, Row, Select, Space } from "antd";
import dayjs from "dayjs";
import { useMemo, useState } from "react";
import { useSearchParams } from "react-router";
import { useTranslation } from "react-i18next";
import { APPROVAL_REQUEST_STATUSES, MAX_ADJUSTMENT_POINTS, approvalRequestStatusLabel } from "../../../core/enums/index.ts";
import { useLookup } from "../../components/useLookup";
import { useMemberSearch } from "../../data/members/use-member-search";
import { useFlowVersions } from "../../data/approvals/flows";
import { localizedName } from "../../lib/format";
import type { BusinessUnit, StaffProfile } from "../../lib/types";

/** The filters kept in the address (?flow=&status=&unit=&member=&requester=&from=&to=&pmin=&pmax=). */
export const FILTER_PARAMS = ["flow", "status", "unit", "member", "requester", "from", "to", "pmin", "pmax"] as const;
type FilterParam = (typeof FILTER_PARAMS)[number];

const DAY = "YYYY-MM-DD";

/**
 * The filters in the address as PostgREST filters on approval_requests (`prefix` "approval_requests." when
 * the rows are tasks embedding their request with !inner). The flow is a key: every version's id.
 */
export function useQueueFilters(prefix = ""): CrudFilter[] {
  const [params] = useSearchParams();
  const { data: flows } = useFlowVersions();
  return useMemo(() => {
    const get = (name: FilterParam) => params.get(name) || null;
    const field = (name: string) => `${prefix}${name}`;
    const filters: CrudFilter[] = [];
    const flow = get("flow");
    if (flow) {
      const ids = (flows ?? []).filter((f) => f.key === flow).map((f) => f.id);
      filters.push({ field: field("flow_id"), operator: "in", value: ids.length ? ids : ["00000000-0000-0000-0000-000000000000"] });
    }
    const status = get("status");
    if (status && (APPROVAL_REQUEST_STATUSES as readonly string[]).includes(status)) filters.push({ field: field("status"), operator: "eq", value: status });
    const unit = get("unit");
    if (unit) filters.push({ field: field("business_unit_id"), operator: "eq", value: unit });
    const member = get("member");
    if (member) filters.push({ field: field("member_id"), operator: "eq", value: member });
    const requester = get("requester");
    if (requester) filters.push({ field: field("requested_by"), operator: "eq", value: requester });
    const from = get("from");
    if (from && dayjs(from, DAY, true).isValid()) filters.push({ field: field("requested_at"), operator: "gte", value: dayjs(from, DAY).startOf("day").toISOString() });
    const to = get("to");
    if (to && dayjs(to, DAY, true).isValid()) filters.push({ field: field("requested_at"), operator: "lt", value: dayjs(to, DAY).add(1, "day").startOf("day").toISOString() });
    const pmin = Number(get("pmin"));
    if (get("pmin") !== null && Number.isFinite(pmin)) filters.push({ field: field("points"), operator: "gte", value: pmin });
    const pmax = Number(get("pmax"));
    if (get("pmax") !== null && Number.isFinite(pmax)) filters.push({ field: field("points"), operator: "lte", value: pmax });
    return filters;
  }, [params, flows, prefix]);
}

/** The filter bar of 审批中心 (folded on a phone), writing every choice into the address. */
export function QueueFilters({ withStatus }: { withStatus: boolean }) {
  const { t, i18n } = useTranslation();
  const [params, setParams] = useSearchParams();
  const screens = Grid.useBreakpoint();
  const [opened, setOpened] = useState<boolean | null>(null);
  const { data: flows } = useFlowVersions();
  const units = useLookup<BusinessUnit>("business_units");
  const staff = useLookup<StaffProfile>("staff_profiles", "user_id");
  const members = useMemberSearch(params.get("member") ?? undefined);
  const flowOptions = useMemo(() => {
    const byKey = new Map<string, { value: string; label: string }>();
    for (const flow of flows ?? []) {
      if (!byKey.has(flow.key) || flow.status === "published") byKey.set(flow.key, { value: flow.key, label: localizedName(flow, i18n.language) });
    }
    return [...byKey.values()];
  }, [flows, i18n.language]);

  const set = (changes: Partial<Record<FilterParam, string | null>>) => {
    const next = new URLSearchParams(params);
    for (const [name, value] of Object.entries(changes)) {
      if (value === null || value === undefined || value === "") next.delete(name);
      else next.set(name, value);
    }
    next.delete("request");
    setParams(next, { replace: true });
  };
  const active = FILTER_PARAMS.filter((name) => params.get(name) && (withStatus || name !== "status")).length;
  const value = (name: FilterParam) => params.get(name) ?? undefined;
  const number = (name: FilterParam) => (params.get(name) !== null && Number.isFinite(Number(params.get(name))) ? Number(params.get(name)) : null);
  const col = { xs: 24, sm: 12, lg: 6 };

  const fields = (
    <Row gutter={[8, 8]}>
      <Col {...col}>
        <Select aria-label={t("approvals.filters.flow")} placeholder={t("approvals.filters.flow")} allowClear style={{ width: "100%" }} value={value("flow")} options={flowOptions} onChange={(v) => set({ flow: v ?? null })} />
      </Col>
      {withStatus && (
        <Col {...col}>
          <Select
            aria-label={t("approvals.filters.status")}
            placeholder={t("approvals.filters.status")}
            allowClear
            style={{ width: "100%" }}
            value={value("status")}
            options={APPROVAL_REQUEST_STATUSES.map((s) => ({ value: s, label: t(approvalRequestStatusLabel(s)) }))}
            onChange={(v) => set({ status: v ?? null })}
          />
        </Col>
      )}
      <Col {...col}>
        <Select
          aria-label={t("approvals.filters.unit")}
          placeholder={t("approvals.filters.unit")}
          allowClear
          style={{ width: "100%" }}
          value={value("unit")}
          options={units.rows.map((u) => ({ value: u.id, label: localizedName(u, i18n.language) }))}
          onChange={(v) => set({ unit: v ?? null })}
        />
      </Col>
      <Col {...col}>
        <Select
          aria-label={t("approvals.filters.member")}
          placeholder={t("approvals.filters.member")}
          allowClear
          showSearch
          filterOption={false}
          style={{ width: "100%" }}
          value={value("member")}
          options={members.options}
          loading={members.loading}
          onSearch={members.onSearch}
          onChange={(v) => set({ member: v ?? null })}
        />
      </Col>
      <Col {...col}>
        <Select
          aria-label={t("approvals.filters.requester")}
          placeholder={t("approvals.filters.requester")}
          allowClear
          showSearch
          optionFilterProp="label"
          style={{ width: "100%" }}
          value={value("requester")}
          options={staff.rows.map((s) => ({ value: s.user_id, label: s.display_name }))}
          onChange={(v) => set({ requester: v ?? null })}
        />
      </Col>
      <Col xs={24} sm={12} lg={8}>
        <DatePicker.RangePicker
          aria-label={t("approvals.filters.dates")}
          style={{ width: "100%" }}
          allowEmpty={[true, true]}
          placeholder={[t("approvals.filters.from"), t("approvals.filters.to")]}
          value={[params.get("from") ? dayjs(params.get("from"), DAY) : null, params.get("to") ? dayjs(params.get("to"), DAY) : null]}
          onChange={(range) => set({ from: range?.[0]?.format(DAY) ?? null, to: range?.[1]?.format(DAY) ?? null })}
        />
      </Col>
      <Col xs={24} sm={12} lg={8}>
        <Space.Compact style={{ width: "100%" }}>
          <InputNumber
            aria-label={t("approvals.filters.pointsMin")}
            placeholder={t("approvals.filters.pointsMin")}
            style={{ width: "50%" }}
            min={-MAX_ADJUSTMENT_POINTS}
            max={MAX_ADJUSTMENT_POINTS}
            precision={0}
            value={number("pmin")}
            onChange={(v) => set({ pmin: v === null ? null : String(v) })}
          />
          <InputNumber
            aria-label={t("approvals.filters.pointsMax")}
            placeholder={t("approvals.filters.pointsMax")}
            style={{ width: "50%" }}
            min={-MAX_ADJUSTMENT_POINTS}
            max={MAX_ADJUSTMENT_POINTS}
            precision={0}
            value={number("pmax")}
            onChange={(v) => set({ pmax: v === null ? null : String(v) })}
          />
        </Space.Compact>
      </Col>
      <Col xs={24} sm={12} lg={8}>
        <Button disabled={!active} onClick={() => set(Object.fromEntries(FILTER_PARAMS.map((name) => [name, null])))}>{t("approvals.filters.reset")}</Button>
      </Col>
    </Row>
  );

  // Open on a computer or when a filter is set, folded on a phone, until the user opens or folds it.
  const open = opened ?? (!!screens.md || active > 0);
  return (
    <Collapse
      size="small"
      activeKey={open ? ["filters"] : []}
      onChange={(keys) => setOpened(keys.length > 0)}
      items={[{ key: "filters", label: <Badge count={active} size="small" offset={[10, 0]}>{t("approvals.filters.title")}</Badge>, children: fields }]}
    />
  );
}
