import { useCan } from "@refinedev/core";
import { Button, Card, Select, Space, Table, Tag, Typography } from "antd";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { GRANT_REVOKE_ROLES } from "../../../core/enums/index.ts";
import { useCounterUnits } from "../../access/use-counter-units";
import { numberColumn, oneLineColumn } from "../../components/table-columns";
import { useLookup } from "../../components/useLookup";
import { useUnitByCode } from "../../components/useUnitByCode";
import { useUnitName } from "../../components/useUnitName";
import { benefitGrantStatusLabel, benefitSourceLabel } from "../../data/benefits/labels";
import { useDefinitionVersions, useMemberGrants, useMemberUses } from "../../data/benefits/member-benefits";
import { useUsableBenefits } from "../../data/benefits/queries";
import type { BenefitGrant, BenefitUse } from "../../data/benefits/types";
import { formatDateTime, localizedName, nameOptions } from "../../lib/format";
import type { Member } from "../../lib/types";
import { CouponCode, ruleLines, UsabilityTag } from "./describe";
import { RequestGrantModal } from "./RequestGrantModal";
import { RevokeGrantModal } from "./RevokeGrantModal";

const STATUS_COLORS: Record<string, string> = { active: "green", used_up: "default", expired: "default", revoked: "red" };

/**
 * The member 360 page's 权益 tab: the member's grants and coupons (with codes), uses left, the rules in plain
 * words, expiry and whether each is usable at the user's counter now; the use history; and, for counter
 * staff, asking for a manual grant (an approval request).
 */
export function MemberBenefitsTab({ member }: { member: Member }) {
  const { t, i18n } = useTranslation();
  const unitName = useUnitName();
  const unitByCode = useUnitByCode();
  const staff = useLookup<{ user_id: string; display_name: string }>("staff_profiles", "user_id");
  const { units } = useCounterUnits();
  const [unitId, setUnitId] = useState<string | undefined>();
  const atUnit = units.find((u) => u.id === unitId) ?? units[0];
  const { grants, query } = useMemberGrants(member.id);
  const { uses, query: usesQuery } = useMemberUses(member.id);
  const { byVersion } = useDefinitionVersions(grants.map((g) => g.definition_key));
  const usable = useUsableBenefits(member.id, atUnit?.id);
  const usableById = new Map((usable.data ?? []).map((row) => [row.grant_id, row]));
  const grantById = new Map(grants.map((g) => [g.id, g]));
  const { data: canRequest } = useCan({ resource: "benefit_grants", action: "create" });
  const [requesting, setRequesting] = useState(0);
  const { units: revokeUnits } = useCounterUnits(GRANT_REVOKE_ROLES);
  const [revoking, setRevoking] = useState<BenefitGrant | null>(null);
  const definitionOf = (g: BenefitGrant | undefined) => (g ? byVersion.get(`${g.definition_key}:${g.definition_version}`) : undefined);
  const nameOf = (g: BenefitGrant | undefined) => localizedName(definitionOf(g), i18n.language);

  return (
    <Space direction="vertical" size="middle" style={{ width: "100%" }}>
      <Space wrap>
        {canRequest?.can && !member.merged_into && (
          <Button onClick={() => setRequesting((n) => n + 1)} disabled={member.status !== "active"}>{t("benefitsUi.request.button")}</Button>
        )}
        {units.length > 1 && (
          <Space>
            <span>{t("benefitsUi.usableAt")}</span>
            <Select aria-label={t("benefitsUi.usableAt")} style={{ minWidth: 180 }} value={atUnit?.id} options={nameOptions(units, i18n.language)} onChange={setUnitId} />
          </Space>
        )}
      </Space>
      <Table<BenefitGrant> rowKey="id" size="small" loading={query.isLoading} dataSource={grants} pagination={{ pageSize: 20, hideOnSinglePage: true }}
        scroll={{ x: "max-content" }} data-testid="member-grants"
        locale={{ emptyText: query.isError ? t("common.loadFailed") : t("benefitsUi.noGrants") }}>
        <Table.Column<BenefitGrant> key="name" title={t("benefitsUi.fields.name")} render={(_, g) => <Typography.Text strong>{nameOf(g)}</Typography.Text>} />
        <Table.Column<BenefitGrant> dataIndex="code" title={t("benefitsUi.fields.code")} {...oneLineColumn} render={(code: string | null) => <CouponCode code={code} />} />
        <Table.Column<BenefitGrant> key="left" title={t("benefitsUi.fields.uses_left")} {...numberColumn} render={(_, g) => `${g.uses_left} / ${g.uses_total}`} />
        <Table.Column<BenefitGrant> dataIndex="valid_until" title={t("benefitsUi.fields.valid_until")} {...oneLineColumn} render={formatDateTime} />
        <Table.Column<BenefitGrant> dataIndex="status" title={t("benefitsUi.fields.status")} {...oneLineColumn}
          render={(s: string) => <Tag color={STATUS_COLORS[s]}>{t(benefitGrantStatusLabel(s))}</Tag>} />
        {atUnit && (
          <Table.Column<BenefitGrant> key="usable" title={t("benefitsUi.usableAtUnit", { unit: localizedName(atUnit, i18n.language) })} {...oneLineColumn}
            render={(_, g) => (usableById.has(g.id) ? <UsabilityTag benefit={usableById.get(g.id)!} /> : "—")} />
        )}
        <Table.Column<BenefitGrant> key="rules" title={t("benefitsUi.fields.rules")}
          render={(_, g) => {
            const def = definitionOf(g);
            return def ? (
              <Space direction="vertical" size={0}>
                {ruleLines(def, unitByCode, t).map((line) => <Typography.Text key={line} type="secondary">{line}</Typography.Text>)}
              </Space>
            ) : "—";
          }} />
        <Table.Column<BenefitGrant> dataIndex="source" title={t("benefitsUi.fields.source")} {...oneLineColumn} render={(s: string) => t(benefitSourceLabel(s))} />
        <Table.Column<BenefitGrant> dataIndex="created_at" title={t("benefitsUi.fields.granted_at")} {...oneLineColumn} render={formatDateTime} />
        {revokeUnits.length > 0 && (
          <Table.Column<BenefitGrant> key="actions" title={t("table.actions")} {...oneLineColumn}
            render={(_, g) => (g.status === "active" && revokeUnits.some((u) => u.id === g.issuing_unit_id) ? (
              <Button size="small" danger aria-label={`${t("benefitsUi.revoke.button")} ${nameOf(g)}`} onClick={() => setRevoking(g)}>{t("benefitsUi.revoke.button")}</Button>
            ) : null)} />
        )}
      </Table>
      <Card size="small" title={t("benefitsUi.history")}>
        <Table<BenefitUse> rowKey="id" size="small" loading={usesQuery.isLoading} dataSource={uses} pagination={{ pageSize: 10, hideOnSinglePage: true }}
          scroll={{ x: "max-content" }} data-testid="member-benefit-uses"
          locale={{ emptyText: usesQuery.isError ? t("common.loadFailed") : t("benefitsUi.noUses") }}>
          <Table.Column<BenefitUse> dataIndex="created_at" title={t("benefitsUi.fields.used_at")} {...oneLineColumn} render={formatDateTime} />
          <Table.Column<BenefitUse> key="name" title={t("benefitsUi.fields.name")} render={(_, u) => nameOf(grantById.get(u.grant_id))} />
          <Table.Column<BenefitUse> dataIndex="uses" title={t("benefitsUi.fields.uses")} {...numberColumn} />
          <Table.Column<BenefitUse> dataIndex="business_unit_id" title={t("benefitsUi.fields.unit")} {...oneLineColumn} render={unitName} />
          <Table.Column<BenefitUse> dataIndex="with_points" title={t("benefitsUi.fields.with_points")} {...oneLineColumn} render={(w: boolean) => t(w ? "common.yes" : "common.no")} />
          <Table.Column<BenefitUse> dataIndex="used_by" title={t("benefitsUi.fields.used_by")} {...oneLineColumn}
            render={(uid: string | null) => (uid ? staff.map.get(uid)?.display_name ?? t("audit_log.unknownActor") : t("audit_log.system"))} />
        </Table>
      </Card>
      {revoking && <RevokeGrantModal key={revoking.id} grant={revoking} name={nameOf(revoking)} member={member} onClose={() => setRevoking(null)} />}
      {requesting > 0 && <RequestGrantModal key={requesting} member={member} onClose={() => setRequesting(0)} />}
    </Space>
  );
}
