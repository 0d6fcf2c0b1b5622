import { List } from "@refinedev/antd";
import { useCan, usePermissions } from "@refinedev/core";
import { Alert, Descriptions, Input, Space, Table, Tabs, Tooltip, Typography } from "antd";
import { useMemo, useState } from "react";
import { useTranslation } from "react-i18next";
import { Link, useNavigate, useSearchParams } from "react-router";
import { isRuleKind, ruleKind, RULE_KINDS, type RuleKind } from "../../../core/rule-kinds/index.ts";
import { useRecentRuleErrors, useRuleSets, useRulesOfKind } from "../../data/rules/queries";
import type { Rule } from "../../data/rules/types";
import { numberColumn, oneLineColumn } from "../../components/table-columns";
import { useUnitName } from "../../components/useUnitName";
import { formatDateTime, localizedDescription, localizedName } from "../../lib/format";
import { EngineAttention } from "./EngineAttention";
import { ExpiryRunButton } from "./ExpiryRunButton";
import { NewRuleButton } from "./NewRuleButton";
import { ActiveTimeline } from "./ActiveTimeline";
import { CombinationEditor } from "./CombinationEditor";
import { ActiveWindow, RuleStatusTag } from "./StatusTag";
import type { Role } from "../../access/my-access";

interface KeyRow {
  latest: Rule;
  published: Rule | undefined;
  versions: number;
}

/** One row per key: its newest version, and the version in force; group-wide rules first. */
function byKey(rules: Rule[]): KeyRow[] {
  const map = new Map<string, Rule[]>();
  for (const r of rules) map.set(r.key, [...(map.get(r.key) ?? []), r]);
  return [...map.values()]
    .map((versions) => {
      const sorted = [...versions].sort((a, b) => b.version - a.version);
      return { latest: sorted[0], published: sorted.find((r) => r.status === "published"), versions: sorted.length };
    })
    .sort(
      (a, b) =>
        Number(!!a.latest.business_unit_id) - Number(!!b.latest.business_unit_id) ||
        b.latest.priority - a.latest.priority ||
        a.latest.key.localeCompare(b.latest.key),
    );
}

/** The page of a rule key: its versions and draft editor. */
const ruleLink = (r: KeyRow) => `/rules/show/${encodeURIComponent(r.latest.key)}`;

function KindTable({ kind }: { kind: RuleKind }) {
  const { t, i18n } = useTranslation();
  const unitName = useUnitName();
  const navigate = useNavigate();
  const rules = useRulesOfKind(kind);
  const sets = useRuleSets();
  const [search, setSearch] = useState("");
  const rows = useMemo(() => {
    const needle = search.trim().toLowerCase();
    const all = byKey(rules.data ?? []);
    return needle ? all.filter((r) => r.latest.key.includes(needle) || r.latest.name.toLowerCase().includes(needle)) : all;
  }, [rules.data, search]);
  const { data: roles } = usePermissions<Role[]>({});
  const groupSet = sets.data?.find((s) => s.kind === kind && !s.business_unit_id);
  /** The published version of each key and any newer draft, highest priority first. */
  const timeline = useMemo(() => byKey(rules.data ?? [])
    .flatMap((r) => [r.published, r.latest.status === "draft" ? r.latest : undefined].filter((v): v is Rule => !!v))
    .sort((a, b) => b.priority - a.priority || a.key.localeCompare(b.key)), [rules.data]);
  const unitSets = sets.data?.filter((s) => s.kind === kind && s.business_unit_id).length ?? 0;

  return (
    <>
      <Descriptions size="small" column={1} style={{ marginBottom: 16 }} data-testid="rule-set">
        <Descriptions.Item label={t("rules.combination.label")}>
          <Typography.Text strong style={{ whiteSpace: "nowrap" }}>{groupSet ? t(`rules.combination.${groupSet.combination}`) : t("rules.combination.none")}</Typography.Text>
          {localizedDescription(groupSet, i18n.language) && (
            <Typography.Text type="secondary">{` · ${localizedDescription(groupSet, i18n.language)}`}</Typography.Text>
          )}
          {unitSets > 0 && <Typography.Text type="secondary">{` · ${t("rules.combination.unitSets", { count: unitSets })}`}</Typography.Text>}
          {groupSet && roles?.includes("admin") && ruleKind(kind).combinations.length > 1 && <CombinationEditor key={groupSet.id} set={groupSet} />}
        </Descriptions.Item>
        <Descriptions.Item label={t("rules.ruleSet.timeline")}>
          <ActiveTimeline rules={timeline} />
        </Descriptions.Item>
      </Descriptions>
      <Input.Search
        allowClear
        aria-label={t("rules.search")}
        placeholder={t("rules.search")}
        onSearch={setSearch}
        onChange={(e) => !e.target.value && setSearch("")}
        style={{ maxWidth: 360, marginBottom: 16 }}
      />
      <Table<KeyRow>
        dataSource={rows}
        rowKey={(r) => r.latest.key}
        loading={rules.isLoading}
        size="middle"
        pagination={{ pageSize: 20, hideOnSinglePage: true }}
        onRow={(r) => ({
          // a click on one of the row's links navigates by itself: navigating here too would add a second history entry
          onClick: (event) => {
            if (!(event.target as HTMLElement).closest("a")) navigate(ruleLink(r));
          },
          style: { cursor: "pointer" },
        })}
      >
        <Table.Column<KeyRow>
          title={t("rules.fields.name")}
          render={(_, r) => <Link to={ruleLink(r)}>{localizedName(r.latest, i18n.language)}</Link>}
        />
        <Table.Column<KeyRow> title={t("rules.fields.key")} {...oneLineColumn} render={(_, r) => (
            <Link to={ruleLink(r)}>
              <Typography.Text code>{r.latest.key}</Typography.Text>
            </Link>
          )}
        />
        <Table.Column<KeyRow> title={t("rules.fields.latest")} {...oneLineColumn} render={(_, r) => `v${r.latest.version}`} />
        <Table.Column<KeyRow> title={t("rules.fields.status")} {...oneLineColumn} render={(_, r) => <RuleStatusTag status={r.latest.status} />} />
        <Table.Column<KeyRow> title={t("rules.fields.publishedVersion")} {...oneLineColumn} render={(_, r) => (r.published ? `v${r.published.version}` : "—")} />
        <Table.Column<KeyRow> title={t("rules.fields.priority")} {...numberColumn} render={(_, r) => r.latest.priority} />
        <Table.Column<KeyRow> title={t("rules.fields.scope")} {...oneLineColumn} render={(_, r) => (r.latest.business_unit_id ? unitName(r.latest.business_unit_id) : t("rules.fields.group"))} />
        <Table.Column<KeyRow> title={t("rules.fields.activeWindow")} {...oneLineColumn} render={(_, r) => <ActiveWindow from={r.latest.active_from} to={r.latest.active_to} />} />
        <Table.Column<KeyRow> title={t("rules.fields.publishedAt")} {...oneLineColumn} render={(_, r) => formatDateTime((r.published ?? r.latest).published_at)} />
      </Table>
    </>
  );
}

/** 规则中心: the rules of each kind, the kind's combination policy, recent rule problems. */
export function RuleList() {
  const { t } = useTranslation();
  const [params, setParams] = useSearchParams();
  const requested = params.get("kind");
  const kind: RuleKind = isRuleKind(requested) ? requested : RULE_KINDS[0];
  const { data: canEdit } = useCan({ resource: "rules", action: "edit" });
  const errors = useRecentRuleErrors();

  return (
    <List title={t("rules.titles.list")} headerButtons={
        canEdit?.can ? (
          <Space align="start">
            <NewRuleButton kind={kind} />
            <ExpiryRunButton />
          </Space>
        ) : null
      }>
      <EngineAttention />
      {!!errors.data?.length && (
        <Alert
          type="warning"
          showIcon
          style={{ marginBottom: 16 }}
          message={t("rules.errors.title", { count: errors.data.length })}
          description={
            <ul style={{ margin: 0, paddingLeft: 20 }}>
              {errors.data.map((e) => (
                <li key={e.id}>
                  {/* the engine's own text helps an administrator diagnose: on hover, not as UI text */}
                  <Tooltip title={e.message.slice(0, 500)}>
                    <Link to={`/rules/show/${encodeURIComponent(e.rule_key)}`}>
                      {t("rules.errors.item", { key: e.rule_key, version: e.rule_version, stage: t(`rules.stages.${e.stage}`) })}
                    </Link>
                  </Tooltip>{" "}
                  <Typography.Text type="secondary">{`×${e.occurrences} · ${formatDateTime(e.last_seen)}`}</Typography.Text>
                </li>
              ))}
            </ul>
          }
        />
      )}
      <Tabs
        activeKey={kind}
        onChange={(key) => setParams({ kind: key }, { replace: true })}
        items={RULE_KINDS.map((k) => ({ key: k, label: t(ruleKind(k).label), children: k === kind ? <KindTable kind={k} /> : null }))}
      />
    </List>
  );
}
