import { useList, useOne } from "@refinedev/core";
import { Result, Space, Spin, Typography } from "antd";
import { useTranslation } from "react-i18next";
import { lotKindLabel } from "../../../../core/enums/index.ts";
import { useLookup } from "../../../components/useLookup";
import { useMemberBalance } from "../../../data/points/use-member-balance";
import type { RecordTransactionResult } from "../../../data/transactions/record-transaction-mutation";
import { useTransactionEarning } from "../../../data/transactions/use-transaction-earning";
import { formatCount, formatDateTime, localizedName } from "../../../lib/format";
import type { Member, Tier } from "../../../lib/types";
import { EarningLine } from "./EarningLine";

/** What recording a purchase did: growth, tier change, and (once the engine posted them) the points and lots. */
export function RecordTransactionResultView({ memberId, result }: { memberId: string; result: RecordTransactionResult }) {
  const { t, i18n } = useTranslation();
  const tiers = useLookup<Tier>("tiers", "code");
  const waitForEngine = result.pending === true || result.points == null;
  const { earning, error } = useTransactionEarning(result.transaction_id, waitForEngine);
  const { balance } = useMemberBalance(memberId);
  const r = (key: string, options?: Record<string, unknown>) => t(`transactions.record.${key}`, options ?? {});
  // The engine posts the growth with the points (growth rules); read once the earning is there.
  const { result: growthRows } = useList<{ transaction_id: string; growth: number; tier_changed: boolean }>({
    resource: "transaction_growth",
    filters: [{ field: "transaction_id", operator: "eq", value: result.transaction_id }],
    pagination: { mode: "off" },
    queryOptions: { enabled: !!earning || !waitForEngine },
    errorNotification: false,
  });
  const growth = growthRows.data[0];
  const { result: member } = useOne<Member>({ resource: "members", id: memberId, queryOptions: { enabled: !!growth } });
  const tiersById = useLookup<Tier>("tiers");

  return (
    <Result status={result.duplicate ? "info" : "success"} title={r("success")} subTitle={result.duplicate ? r("duplicate") : undefined}>
      <Space direction="vertical" size={4}>
        {!waitForEngine && (
          <Typography.Text>{r("successSub", { points: formatCount(result.points), balance: formatCount(result.balance) })}</Typography.Text>
        )}
        {waitForEngine && !earning && !error && (
          <Typography.Text type="secondary">
            <Spin size="small" /> {r("pending")}
          </Typography.Text>
        )}
        {error && <Typography.Text type="danger">{r("earningFailed", { message: error })}</Typography.Text>}
        {earning && <EarningLine earning={earning} balance={balance} />}
        {earning?.lots.map((lot) => (
          <Typography.Text key={lot.lot_id}>
            {r("lotDetail", { lot: lot.lot_id, points: formatCount(lot.points), kind: t(lotKindLabel(lot.kind)), expires: formatDateTime(lot.expires_at) })}
          </Typography.Text>
        ))}
        {!waitForEngine && result.lot_id != null && <Typography.Text>{r("lot", { lot: result.lot_id })}</Typography.Text>}
        {growth && member ? (
          <Typography.Text>{r("growthAdded", { growth: formatCount(growth.growth), total: formatCount(member.growth_value) })}</Typography.Text>
        ) : (
          result.growth_value != null && <Typography.Text>{r("growth", { growth: formatCount(result.growth_value) })}</Typography.Text>
        )}
        {result.tier_changed && result.tier_code && (
          <Typography.Text strong>{r("tierChanged", { tier: localizedName(tiers.map.get(result.tier_code), i18n.language) })}</Typography.Text>
        )}
        {growth?.tier_changed && member && (
          <Typography.Text strong>{r("tierChanged", { tier: localizedName(tiersById.map.get(member.tier_id), i18n.language) })}</Typography.Text>
        )}
      </Space>
    </Result>
  );
}
