import { useCan, useCreate, useDelete, useList, useUpdate } from "@refinedev/core";
import { Alert, Button, Card, Form, InputNumber, Popconfirm, Select, Space, Switch, Table, Typography } from "antd";
import { useTranslation } from "react-i18next";
import { MAX_TIER_OFFER_PRICE_FEN, TIER_OFFER_PERIODS, tierOfferPeriodLabel } from "../../../core/enums/index.ts";
import { useLookup } from "../../components/useLookup";
import { formatCount, formatMoney, localizedName } from "../../lib/format";
import type { Tier, TierOffer } from "../../lib/types";

interface NewOffer {
  tier_id: string;
  period: TierOffer["period"];
  price_yuan: number;
}

/** Paid memberships on sale, per tier and period (admins add, stop and remove them; every change is audited). */
export function TierOffers() {
  const { t, i18n } = useTranslation();
  const tiers = useLookup<Tier>("tiers");
  const { data: canEdit } = useCan({ resource: "tier_offers", action: "create" });
  const { result, query } = useList<TierOffer>({
    resource: "tier_offers",
    pagination: { mode: "off" },
    sorters: [{ field: "price_fen", order: "asc" }],
    errorNotification: false,
  });
  const [form] = Form.useForm<NewOffer>();
  const create = useCreate();
  const update = useUpdate();
  const remove = useDelete();
  const o = (key: string, options?: Record<string, unknown>) => t(`tiers.offers.${key}`, options ?? {});
  const tierName = (id: string) => localizedName(tiers.map.get(id), i18n.language);
  const sorted = [...tiers.rows].sort((a, b) => a.rank - b.rank);

  const add = async () => {
    const values = await form.validateFields().catch(() => null);
    if (!values) return;
    await create.mutateAsync({
      resource: "tier_offers",
      values: { tier_id: values.tier_id, period: values.period, price_fen: Math.round(values.price_yuan * 100) },
      successNotification: { type: "success", message: o("saved") },
    });
    form.resetFields();
  };

  return (
    <Space direction="vertical" size="large" style={{ width: "100%", marginTop: 24 }}>
      <Card title={o("title")} data-testid="tier-offers">
        <Typography.Paragraph type="secondary">{o("hint")}</Typography.Paragraph>
        {query.isError && <Alert type="error" showIcon message={t("common.loadFailed")} />}
        <Table<TierOffer>
          dataSource={result.data ?? []}
          rowKey="id"
          size="small"
          loading={query.isLoading}
          pagination={false}
          locale={{ emptyText: o("empty") }}
        >
          <Table.Column<TierOffer> title={o("tier")} dataIndex="tier_id" render={tierName} />
          <Table.Column<TierOffer> title={o("period")} dataIndex="period" render={(period: string) => t(tierOfferPeriodLabel(period))} />
          <Table.Column<TierOffer> title={o("price")} dataIndex="price_fen" render={(fen: number) => formatMoney(fen / 100)} />
          <Table.Column<TierOffer>
            title={o("active")}
            dataIndex="active"
            render={(active: boolean, row) => (
              <Switch
                checked={active}
                disabled={!canEdit?.can}
                aria-label={o("active")}
                onChange={(checked) => update.mutate({ resource: "tier_offers", id: row.id, values: { active: checked } })}
              />
            )}
          />
          {canEdit?.can && (
            <Table.Column<TierOffer>
              render={(_, row) => (
                <Popconfirm title={o("removeConfirm")} onConfirm={() => remove.mutate({ resource: "tier_offers", id: row.id })}>
                  <Button size="small" danger>{o("remove")}</Button>
                </Popconfirm>
              )}
            />
          )}
        </Table>
        {canEdit?.can && (
          <Form form={form} layout="inline" style={{ marginTop: 16 }}>
            <Form.Item name="tier_id" label={o("tier")} rules={[{ required: true, message: o("tierRequired") }]}>
              <Select style={{ width: 140 }} options={sorted.map((tier) => ({ value: tier.id, label: localizedName(tier, i18n.language) }))} />
            </Form.Item>
            <Form.Item name="period" label={o("period")} rules={[{ required: true, message: o("periodRequired") }]}>
              <Select style={{ width: 120 }} options={TIER_OFFER_PERIODS.map((p) => ({ value: p, label: t(tierOfferPeriodLabel(p)) }))} />
            </Form.Item>
            <Form.Item
              name="price_yuan"
              label={o("price")}
              rules={[{ required: true, type: "number", min: 0.01, max: MAX_TIER_OFFER_PRICE_FEN / 100,
                        message: o("priceRequired", { max: formatCount(MAX_TIER_OFFER_PRICE_FEN / 100) }) }]}
            >
              <InputNumber precision={2} min={0} style={{ width: 140 }} />
            </Form.Item>
            <Form.Item>
              <Button type="primary" loading={create.mutation.isPending} onClick={() => void add()}>{o("add")}</Button>
            </Form.Item>
          </Form>
        )}
      </Card>
    </Space>
  );
}
