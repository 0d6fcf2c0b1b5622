import { LockOutlined } from "@ant-design/icons";
import { useGetIdentity, useList } from "@refinedev/core";
import { Alert, App, Button, Input, Space, Table, Tag, Tooltip, Typography } from "antd";
import dayjs from "dayjs";
import { useRef } from "react";
import { useTranslation } from "react-i18next";
import { roleNames } from "../../access/my-access";
import { isAllowed } from "../../access/permissions";
import { numberColumn, oneLineColumn } from "../../components/table-columns";
import { useLookup } from "../../components/useLookup";
import { useRpcMutation } from "../../data/use-rpc";
import { SETTLEMENT_LIMITS, type SettlementPeriod, type SettlementStatement } from "../../data/settlement/types";
import { formatDateTime, localizedName } from "../../lib/format";
import { localizeRpcError } from "../../lib/rpc-errors";
import type { BusinessUnit } from "../../lib/types";
import type { Identity } from "../../providers/auth-provider";
import { currentMonth, monthEnded, monthLabel, useFinanceScope } from "./shared";

const MONTHS_SHOWN = 12;

interface MonthRow {
  period: string;
  status: "open" | "closed";
  closedAt: string | null;
  statements: SettlementStatement[];
  confirmed: number;
}

const bothConfirmed = (s: SettlementStatement) => s.my_decision === "confirmed" && s.counterparty_decision === "confirmed";

/**
 * 关账: the last months with their status and how many statements both sides confirmed; group finance closes an
 * ended month, or the running one as a cut-off (warned: what is settled in it afterwards lands in the next month). A month with a statement not confirmed by both sides is refused with the list before any dialog
 * (close_settlement_period refuses the same: settlement_not_confirmed).
 */
export function CloseTab() {
  const { t, i18n } = useTranslation();
  const { modal, message } = App.useApp();
  const { data: identity } = useGetIdentity<Identity | null>();
  const scope = useFinanceScope();
  const canClose = isAllowed(roleNames(identity), "settlement_periods", "edit") && scope.groupWide;
  const units = useLookup<BusinessUnit>("business_units");
  const name = (id: string) => localizedName(units.map.get(id), i18n.language);
  const last = currentMonth();
  const first = dayjs(last).subtract(MONTHS_SHOWN - 1, "month").format("YYYY-MM-DD");
  const periods = useList<SettlementPeriod>({
    resource: "settlement_periods",
    filters: [{ field: "period", operator: "gte", value: first }],
    pagination: { mode: "off" },
    errorNotification: false,
  });
  const statements = useList<SettlementStatement>({
    resource: "settlement_statements",
    filters: [{ field: "period", operator: "gte", value: first }],
    pagination: { mode: "off" },
    errorNotification: false,
  });
  const comment = useRef("");
  const close = useRpcMutation<{ period: string; comment: string }, unknown>("close_settlement_period", {
    args: ({ period, comment: text }) => ({ p_period: period, p_comment: text || null }),
    invalidates: ["settlement_periods", "settlement_statements"],
  });

  const rows: MonthRow[] = Array.from({ length: MONTHS_SHOWN }, (_, i) => dayjs(last).subtract(i, "month").format("YYYY-MM-DD")).map((period) => {
    const found = (periods.result.data ?? []).find((p) => p.period === period);
    const list = (statements.result.data ?? []).filter((s) => s.period === period);
    return { period, status: found?.status ?? "open", closedAt: found?.closed_at ?? null, statements: list, confirmed: list.filter(bothConfirmed).length };
  });

  const ask = (row: MonthRow) => {
    const month = monthLabel(row.period);
    const pending = row.statements.filter((s) => !bothConfirmed(s));
    if (pending.length) {
      const decision = (d: string | null) => t(`settlement.decisions.${d ?? "pending"}`);
      modal.error({
        title: t("settlement.close.refusedTitle", { month }),
        content: (
          <Space direction="vertical" size={4}>
            <span>{t("settlement.close.refusedText", { count: pending.length })}</span>
            {pending.map((s) => (
              <span key={`${s.business_unit_id}|${s.counterparty_unit_id}`}>
                {t("settlement.close.refusedLine", { unit: name(s.business_unit_id), counterparty: name(s.counterparty_unit_id), mine: decision(s.my_decision), theirs: decision(s.counterparty_decision) })}
              </span>
            ))}
          </Space>
        ),
        okText: t("settlement.close.ok"),
      });
      return;
    }
    comment.current = "";
    modal.confirm({
      title: t("settlement.close.confirmTitle", { month }),
      content: (
        <Space direction="vertical" style={{ width: "100%" }}>
          <span>{t("settlement.close.confirmText", { count: row.statements.length })}</span>
          {!monthEnded(row.period) && <Alert type="warning" showIcon message={t("settlement.close.cutoffText", { month })} />}
          <Input.TextArea aria-label={t("settlement.close.comment")} placeholder={t("settlement.close.comment")} maxLength={SETTLEMENT_LIMITS.max_comment} rows={2} onChange={(e) => (comment.current = e.target.value)} />
        </Space>
      ),
      okText: t("settlement.close.close"),
      cancelText: t("buttons.cancel"),
      onOk: () =>
        close.mutateAsync({ period: row.period, comment: comment.current.trim() }).then(
          () => void message.success(t("settlement.close.closed", { month })),
          (error) => {
            void message.error(localizeRpcError(error, t));
          },
        ),
    });
  };

  const error = periods.query.error ?? statements.query.error;
  return (
    <Space direction="vertical" size={12} style={{ width: "100%" }}>
      {error && <Alert type="error" showIcon message={localizeRpcError(error, t)} />}
      <Table<MonthRow>
        size="small"
        bordered
        rowKey="period"
        loading={periods.query.isLoading || statements.query.isLoading}
        dataSource={rows}
        pagination={false}
        columns={[
          { key: "month", title: t("settlement.close.month"), ...oneLineColumn, render: (_, row) => monthLabel(row.period) },
          { key: "statements", title: t("settlement.close.statements"), ...numberColumn, render: (_, row) => (row.statements.length ? row.statements.length : <Typography.Text type="secondary">{t("settlement.close.noStatements")}</Typography.Text>) },
          { key: "confirmed", title: t("settlement.close.bothConfirmed"), ...numberColumn, render: (_, row) => t("settlement.close.progress", { done: row.confirmed, total: row.statements.length }) },
          {
            key: "status",
            title: t("settlement.close.status"),
            ...oneLineColumn,
            render: (_, row) =>
              row.status === "closed" ? (
                <Tag icon={<LockOutlined />} color="green">{t("settlement.periodStatuses.closed")} · {formatDateTime(row.closedAt)}</Tag>
              ) : canClose ? (
                <Space size={4} wrap={false}>
                  {!monthEnded(row.period) && <Tag>{t("settlement.close.running")}</Tag>}
                  <Button size="small" onClick={() => ask(row)} loading={close.isPending && close.variables?.period === row.period}>{t("settlement.close.close")}</Button>
                </Space>
              ) : !monthEnded(row.period) ? (
                <Tag>{t("settlement.close.running")}</Tag>
              ) : (
                <Tooltip title={t("settlement.close.notAllowed")}><Tag>{t("settlement.periodStatuses.open")}</Tag></Tooltip>
              ),
          },
        ]}
      />
    </Space>
  );
}
