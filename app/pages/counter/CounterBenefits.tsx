import { Button, Space, Switch, Table, Tooltip, Typography } from "antd";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { numberColumn, oneLineColumn } from "../../components/table-columns";
import type { CounterMember } from "../../data/benefits/find-member";
import { useUsableBenefits } from "../../data/benefits/queries";
import type { UsableBenefit } from "../../data/benefits/types";
import { formatDateTime, localizedName } from "../../lib/format";
import { localizeRpcError } from "../../lib/rpc-errors";
import { benefitKindText, CouponCode, stackingText, UsabilityTag } from "../benefits/describe";
import { VerifyModal } from "./VerifyModal";

/**
 * The member's benefits at this unit: usable ones first, the others greyed with the reason; with "paying with
 * points" on, those that do not stack with points say so before anything is chosen.
 */
export function CounterBenefits({ member, unitId, unitLabel }: { member: CounterMember; unitId: string; unitLabel: string }) {
  const { t, i18n } = useTranslation();
  const [withPoints, setWithPoints] = useState(false);
  const benefits = useUsableBenefits(member.id, unitId, withPoints);
  const [verifying, setVerifying] = useState<{ benefit: UsableBenefit; n: number } | null>(null);
  const rows = [...(benefits.data ?? [])].sort((a, b) => Number(b.usable) - Number(a.usable));

  return (
    <Space direction="vertical" style={{ width: "100%" }}>
      <Space>
        <Switch checked={withPoints} onChange={setWithPoints} aria-label={t("counter.withPoints.label")} />
        <span>{t("counter.withPoints.label")}</span>
        <Typography.Text type="secondary">{t("counter.withPoints.hint")}</Typography.Text>
      </Space>
      <Table<UsableBenefit>
        rowKey="grant_id"
        size="small"
        data-testid="counter-benefits"
        loading={benefits.isLoading}
        dataSource={rows}
        pagination={false}
        scroll={{ x: "max-content" }}
        rowClassName={(row) => (row.usable ? "" : "benefit-unusable")}
        onRow={(row) => ({ style: row.usable ? undefined : { opacity: 0.55 } })}
        locale={{ emptyText: benefits.isError ? localizeRpcError(benefits.error, t) : t("counter.benefits.none") }}
      >
        <Table.Column<UsableBenefit> key="name" title={t("benefitsUi.fields.name")} render={(_, r) => <Typography.Text strong>{localizedName(r, i18n.language)}</Typography.Text>} />
        <Table.Column<UsableBenefit> key="kind" title={t("benefitsUi.fields.kind")} {...oneLineColumn} render={(_, r) => benefitKindText(r.kind, r.value, t)} />
        <Table.Column<UsableBenefit> dataIndex="uses_left" title={t("benefitsUi.fields.uses_left")} {...numberColumn} />
        <Table.Column<UsableBenefit> dataIndex="valid_until" title={t("benefitsUi.fields.valid_until")} {...oneLineColumn} render={formatDateTime} />
        <Table.Column<UsableBenefit> dataIndex="code" title={t("benefitsUi.fields.code")} {...oneLineColumn} render={(code: string | null) => <CouponCode code={code} />} />
        <Table.Column<UsableBenefit> key="stacking" title={t("benefitsUi.fields.stacking")} render={(_, r) => stackingText(r, t)} />
        <Table.Column<UsableBenefit> key="state" title={t("benefitsUi.fields.state")} {...oneLineColumn} render={(_, r) => <UsabilityTag benefit={r} />} />
        <Table.Column<UsableBenefit> key="action" title={t("table.actions")} {...oneLineColumn}
          render={(_, r) => (
            <Tooltip title={r.usable ? undefined : t("counter.verify.unusableShort")}>
              <Button type="primary" size="small" disabled={!r.usable} aria-label={`${t("counter.verify.button")} ${localizedName(r, i18n.language)}`}
                onClick={() => setVerifying({ benefit: r, n: (verifying?.n ?? 0) + 1 })}>
                {t("counter.verify.button")}
              </Button>
            </Tooltip>
          )} />
      </Table>
      {verifying && (
        <VerifyModal key={verifying.n} benefit={verifying.benefit} member={member} unitId={unitId} unitLabel={unitLabel} withPoints={withPoints}
          onClose={() => setVerifying(null)} />
      )}
    </Space>
  );
}
