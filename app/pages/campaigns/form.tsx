import { Create, Edit } from "@refinedev/antd";
import { useCan } from "@refinedev/core";
import { Alert, App as AntApp, Button, Card, Col, DatePicker, Form, Input, InputNumber, Radio, Result, Row, Select, Space, Spin, Switch, Typography } from "antd";
import dayjs, { type Dayjs } from "dayjs";
import { useMemo, useState } from "react";
import { useTranslation } from "react-i18next";
import { Link, useNavigate, useParams } from "react-router";
import {
  CAMPAIGN_ARMS, CAMPAIGN_LIMITS as L, CAMPAIGN_OFFER_KINDS, campaignOfferKindLabel, type CampaignOfferKind, type CampaignStatus,
} from "../../../core/enums/index.ts";
import { RpcErrorAlert } from "../../components/RpcErrorAlert";
import { useLookup } from "../../components/useLookup";
import { useWarnWhenUnsaved } from "../../builder/useWarnWhenUnsaved";
import {
  useCampaign, usePublishedSegments, useSaveCampaign, useSubmitCampaign, type Campaign, type CampaignArm, type CampaignDraft, type CampaignOffer,
} from "../../data/campaigns";
import { usePublishedDefinitions } from "../../data/benefits/member-benefits";
import { formatCount, localizedName, nameOptions } from "../../lib/format";
import { localizeRpcError } from "../../lib/rpc-errors";
import type { BusinessUnit } from "../../lib/types";
import { CancelCampaignButton } from "./CancelCampaignButton";
import { CampaignStatusTag } from "./StatusTag";
import { campaignProblems, yuanToFen, type CampaignProblem } from "./validate";

interface ArmValues {
  share: number;
  multiplier?: number | null;
  uses?: number | null;
  message?: string;
}

interface Values {
  key: string;
  name: string;
  description?: string;
  segment_key?: string;
  business_unit_ids: string[];
  paying_unit_id?: string;
  period?: [Dayjs, Dayjs];
  kind: CampaignOfferKind;
  multiplier?: number | null;
  benefit_key?: string;
  uses?: number | null;
  message?: string;
  /** The cost of one grant or message, yuan (a coupon's face value when empty). */
  unit_cost?: number | null;
  budget?: number | null;
  holdout_percent?: number | null;
  ab: boolean;
  arms: ArmValues[];
}

/** Statuses in which the drafters change a campaign (save_campaign: a draft, or a rejected one made a draft again). */
const EDITABLE: readonly CampaignStatus[] = ["draft", "rejected"];
const numberOrUndefined = (value: number | null | undefined) => (typeof value === "number" ? value : undefined);

function toValues(campaign: Campaign | undefined): Partial<Values> {
  if (!campaign) {
    return { kind: "points_multiplier", multiplier: 2, uses: 1, holdout_percent: 10, business_unit_ids: [], ab: false, arms: [{ share: 50 }, { share: 50 }] };
  }
  const arms = campaign.arms ?? [];
  const split = arms.length > 1;
  return {
    key: campaign.key, name: campaign.name, description: campaign.description ?? undefined, segment_key: campaign.segment_key,
    business_unit_ids: campaign.business_unit_ids, paying_unit_id: campaign.paying_unit_id ?? undefined,
    period: [dayjs(campaign.starts_at), dayjs(campaign.ends_at)], kind: campaign.offer.kind, multiplier: campaign.offer.multiplier,
    benefit_key: campaign.offer.benefit_key, uses: campaign.offer.uses ?? 1, message: campaign.offer.message,
    unit_cost: typeof campaign.offer.unit_cost_fen === "number" ? Number(campaign.offer.unit_cost_fen) / 100 : null,
    budget: Number(campaign.budget_fen) / 100, holdout_percent: campaign.holdout_percent, ab: split,
    arms: split ? arms.map((a) => ({ share: a.share, multiplier: a.multiplier, uses: a.uses, message: a.message })) : [{ share: 50 }, { share: 50 }],
  };
}

/** The form's values as save_campaign takes them (money in fen, times as ISO instants). */
function toDraft(values: Values, id: string | undefined): CampaignDraft {
  const kind = values.kind;
  const unitCost = typeof values.unit_cost === "number" ? { unit_cost_fen: yuanToFen(values.unit_cost) } : {};
  const offer: CampaignOffer =
    kind === "points_multiplier" ? { kind, multiplier: numberOrUndefined(values.multiplier) }
    : kind === "benefit_grant" ? { kind, benefit_key: values.benefit_key, uses: numberOrUndefined(values.uses), ...unitCost }
    : { kind, message: values.message?.trim() ?? "", ...unitCost };
  // Without an A/B split every treatment member is in arm a.
  const arms: CampaignArm[] = values.ab
    ? values.arms.map((arm, i) => {
        const out: CampaignArm = { key: CAMPAIGN_ARMS[i] ?? `${i}`, share: arm.share };
        if (kind === "points_multiplier" && typeof arm.multiplier === "number") out.multiplier = arm.multiplier;
        if (kind === "benefit_grant" && typeof arm.uses === "number") out.uses = arm.uses;
        if (kind === "message" && arm.message?.trim()) out.message = arm.message.trim();
        return out;
      })
    : [{ key: CAMPAIGN_ARMS[0], share: 100 }];
  return {
    ...(id ? { id } : {}),
    key: values.key ?? "",
    name: values.name ?? "",
    description: values.description?.trim() || null,
    segment_key: values.segment_key ?? "",
    business_unit_ids: values.business_unit_ids ?? [],
    paying_unit_id: values.paying_unit_id ?? values.business_unit_ids?.[0] ?? null,
    starts_at: values.period?.[0]?.toISOString() ?? "",
    ends_at: values.period?.[1]?.toISOString() ?? "",
    offer,
    arms,
    holdout_percent: values.holdout_percent ?? 0,
    budget_fen: typeof values.budget === "number" ? yuanToFen(values.budget) : 0,
  };
}

/** 新建营销活动 and 编辑营销活动: one form for a draft (a rejected campaign is changed and submitted again). */
export function CampaignFormPage() {
  const { id } = useParams();
  const { t } = useTranslation();
  const { campaign, query } = useCampaign(id);
  if (id && query.isLoading) return <Spin />;
  if (id && !campaign) return <Result status="404" title={t("campaigns.notFound")} extra={<Link to="/campaigns">{t("campaigns.backToList")}</Link>} />;
  return <CampaignForm key={campaign?.id ?? "new"} campaign={campaign} />;
}

function CampaignForm({ campaign }: { campaign: Campaign | undefined }) {
  const { t, i18n } = useTranslation();
  const navigate = useNavigate();
  const { message, modal } = AntApp.useApp();
  const [form] = Form.useForm<Values>();
  const initial = useMemo(() => toValues(campaign), [campaign]);
  const [dirty, setDirty] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [problems, setProblems] = useState<CampaignProblem[]>([]);
  useWarnWhenUnsaved(dirty);
  const { data: canEdit } = useCan({ resource: "campaigns", action: "edit" });
  // Editable while the rights are still being read (the database refuses non-drafters anyway).
  const editable = (canEdit?.can ?? true) && (!campaign || EDITABLE.includes(campaign.status));

  const segments = usePublishedSegments();
  const units = useLookup<BusinessUnit>("business_units");
  const { definitions: benefits } = usePublishedDefinitions();
  const save = useSaveCampaign();
  const submit = useSubmitCampaign();
  const kind = Form.useWatch("kind", form) ?? initial.kind;
  const ab = Form.useWatch("ab", form) ?? initial.ab;
  const chosenUnits = Form.useWatch("business_unit_ids", form) ?? initial.business_unit_ids ?? [];
  const timeZone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  const c = (key: string, values?: Record<string, unknown>) => t(`campaigns.form.${key}`, values);

  const unitOptions = nameOptions(units.rows, i18n.language);
  const segmentOptions = segments.rows.map((s) => ({
    value: s.key,
    label: s.members === null
      ? `${localizedName(s, i18n.language)}（${c("membersPending")}）`
      : `${localizedName(s, i18n.language)}（${t("campaigns.membersValue", { count: s.members, formatted: formatCount(s.members) })}）`,
  }));

  /** The draft if the form and the server's rules accept it; else the problems are shown on their fields. */
  const checked = async (): Promise<CampaignDraft | null> => {
    setError(null);
    const values = await form.validateFields().catch(() => null);
    if (!values) return null;
    const draft = toDraft(values, campaign?.id);
    const found = campaignProblems(draft);
    setProblems(found);
    form.setFields(found.filter((p) => p.field !== "arms").map((p) => ({ name: p.field as keyof Values, errors: [t(`errors.reasons.${p.code}`, p.values)] })));
    return found.length ? null : draft;
  };

  const saveDraft = async (draft: CampaignDraft) => {
    const saved = await save.mutateAsync(draft);
    setDirty(false);
    return saved;
  };

  const onSave = async () => {
    const draft = await checked();
    if (!draft) return;
    try {
      const saved = await saveDraft(draft);
      message.success(c("saved"));
      if (!campaign) navigate(`/campaigns/${saved.id}/edit`, { replace: true });
    } catch (failure) {
      setError(localizeRpcError(failure, t));
    }
  };

  const onSubmit = async () => {
    const draft = await checked();
    if (!draft) return;
    const segment = segments.rows.find((s) => s.key === draft.segment_key);
    modal.confirm({
      title: c("submitTitle"),
      content: c("submitConfirm", {
        name: draft.name,
        segment: segment ? localizedName(segment, i18n.language) : draft.segment_key,
        budget: formatCount(draft.budget_fen / 100),
      }),
      okText: c("submit"),
      cancelText: t("buttons.cancel"),
      onOk: async () => {
        setError(null);
        try {
          const saved = await saveDraft(draft);
          await submit.mutateAsync({ id: saved.id, idempotencyKey: `campaign-launch:${saved.id}:${crypto.randomUUID()}` });
          message.success(c("submitted"));
          navigate(`/campaigns/${saved.id}`);
        } catch (failure) {
          setError(localizeRpcError(failure, t));
        }
      },
    });
  };

  const armProblems = problems.filter((p) => p.field === "arms");
  const Page = campaign ? Edit : Create;
  return (
    <Page
      title={campaign ? c("editTitle") : c("createTitle")}
      goBack={false}
      saveButtonProps={{ hidden: true }}
      headerButtons={
        <Space wrap>
          {campaign && <CampaignStatusTag status={campaign.status} />}
          {campaign && <Link to={`/campaigns/${campaign.id}`}>{c("viewResults")}</Link>}
          {campaign && <CancelCampaignButton campaign={campaign} onCancelled={() => setDirty(false)} />}
        </Space>
      }
      footerButtons={
        editable ? (
          <Space>
            <Button onClick={() => void onSave()} loading={save.isPending && !submit.isPending}>{c("save")}</Button>
            <Button type="primary" onClick={() => void onSubmit()} loading={submit.isPending}>{c("submit")}</Button>
          </Space>
        ) : null
      }
    >
      {!editable && campaign && <Alert type="info" showIcon style={{ marginBottom: 16 }} message={c("readOnly", { status: t(`campaigns.statuses.${campaign.status}`) })} />}
      <RpcErrorAlert message={error} />
      <Form form={form} layout="vertical" initialValues={initial} disabled={!editable} onValuesChange={() => setDirty(true)} data-testid="campaign-form">
        <Row gutter={16}>
          <Col xs={24} lg={12}>
            <Card size="small" title={c("basics")}>
              <Form.Item name="name" label={c("name")} rules={[{ required: true, whitespace: true, message: t("errors.reasons.campaign_name_invalid", { max: L.max_name_length }) }]}>
                <Input maxLength={L.max_name_length} />
              </Form.Item>
              <Form.Item name="key" label={c("key")} extra={c("keyHint")} rules={[{ required: true, message: t("errors.reasons.campaign_key_invalid") }]}>
                <Input maxLength={64} disabled={!!campaign} />
              </Form.Item>
              <Form.Item name="description" label={c("description")}>
                <Input.TextArea rows={2} maxLength={L.max_description_length} />
              </Form.Item>
              <Form.Item name="segment_key" label={c("segment")} extra={c("segmentHint")} rules={[{ required: true, message: t("errors.reasons.campaign_segment_unknown") }]}>
                <Select showSearch optionFilterProp="label" options={segmentOptions} loading={segments.isLoading} placeholder={c("segmentPlaceholder")} />
              </Form.Item>
              <Form.Item name="period" label={c("period")} extra={c("periodHint", { zone: timeZone, days: L.max_days })}
                rules={[{ required: true, message: t("errors.reasons.campaign_period_invalid", { max_days: L.max_days }) }]}>
                <DatePicker.RangePicker showTime={{ format: "HH:mm" }} format="YYYY-MM-DD HH:mm" style={{ width: "100%" }}
                  placeholder={[c("startsAt"), c("endsAt")]} />
              </Form.Item>
              <Form.Item name="business_unit_ids" label={c("units")} extra={c("unitsHint")} rules={[{ required: true, message: t("errors.reasons.campaign_units_invalid", { max: L.max_units }) }]}>
                <Select mode="multiple" maxCount={L.max_units} options={unitOptions} optionFilterProp="label" placeholder={c("unitsPlaceholder")} />
              </Form.Item>
              <Form.Item name="paying_unit_id" label={c("payingUnit")} extra={c("payingUnitHint")}>
                <Select allowClear options={unitOptions.filter((o) => chosenUnits.includes(o.value))} placeholder={c("payingUnitPlaceholder")} />
              </Form.Item>
            </Card>
          </Col>
          <Col xs={24} lg={12}>
            <Card size="small" title={c("offer")}>
              <Form.Item name="kind" label={c("offerKind")}>
                <Radio.Group optionType="button" options={CAMPAIGN_OFFER_KINDS.map((k) => ({ value: k, label: t(campaignOfferKindLabel(k)) }))} />
              </Form.Item>
              {kind === "points_multiplier" && (
                <Form.Item name="multiplier" label={c("multiplier")} extra={c("multiplierHint", { min: L.min_multiplier, max: L.max_multiplier })}
                  rules={[{ required: true, message: t("errors.reasons.campaign_multiplier_invalid", { min: L.min_multiplier, max: L.max_multiplier }) }]}>
                  <InputNumber min={L.min_multiplier} max={L.max_multiplier} step={0.1} precision={2} suffix="×" style={{ width: 200 }} />
                </Form.Item>
              )}
              {kind === "benefit_grant" && (
                <>
                  <Form.Item name="benefit_key" label={c("benefit")} rules={[{ required: true, message: t("errors.reasons.campaign_benefit_unknown") }]}>
                    <Select showSearch optionFilterProp="label" placeholder={c("benefitPlaceholder")}
                      options={benefits.map((b) => ({ value: b.key, label: localizedName(b, i18n.language) }))} />
                  </Form.Item>
                  <Form.Item name="uses" label={c("uses")} rules={[{ required: true, message: t("errors.reasons.campaign_uses_invalid", { max: L.max_uses }) }]}>
                    <InputNumber min={1} max={L.max_uses} precision={0} style={{ width: 200 }} />
                  </Form.Item>
                  <Form.Item name="unit_cost" label={c("unitCost")} extra={c("unitCostBenefitHint")}>
                    <InputNumber min={0.01} max={L.max_unit_cost_fen / 100} precision={2} prefix="¥" style={{ width: 200 }} />
                  </Form.Item>
                </>
              )}
              {kind === "message" && (
                <>
                  <Form.Item name="message" label={c("template")} extra={c("templateHint")}
                    rules={[{ required: true, whitespace: true, message: t("errors.reasons.campaign_message_invalid", { max: L.max_message_length }) }]}>
                    <Input.TextArea rows={3} maxLength={L.max_message_length} showCount />
                  </Form.Item>
                  <Form.Item name="unit_cost" label={c("unitCost")} extra={c("unitCostMessageHint")}>
                    <InputNumber min={0} max={L.max_unit_cost_fen / 100} precision={2} prefix="¥" style={{ width: 200 }} />
                  </Form.Item>
                </>
              )}
              <Form.Item name="budget" label={c("budget")} extra={c("budgetHint")}
                rules={[{ required: true, message: t("errors.reasons.campaign_budget_invalid") }]}>
                <InputNumber min={0.01} max={L.max_budget_fen / 100} precision={2} step={100} prefix="¥" style={{ width: 240 }} />
              </Form.Item>
              <Form.Item name="holdout_percent" label={c("holdout")} extra={c("holdoutHint", { max: L.max_holdout_percent })}>
                <InputNumber min={0} max={L.max_holdout_percent} precision={0} suffix="%" style={{ width: 160 }} />
              </Form.Item>
              <Form.Item name="ab" label={c("ab")} valuePropName="checked" extra={c("abHint")}>
                <Switch />
              </Form.Item>
              {ab && (
                <Form.List name="arms">
                  {(fields, { add, remove }) => (
                    <Space direction="vertical" style={{ width: "100%" }} data-testid="campaign-arms">
                      {fields.map((field, i) => (
                        <Space key={field.key} align="start" wrap>
                          <Typography.Text strong style={{ whiteSpace: "nowrap", lineHeight: "32px" }}>{t(`campaigns.arms.${CAMPAIGN_ARMS[i]}`)}</Typography.Text>
                          <Form.Item name={[field.name, "share"]} rules={[{ required: true, message: t("errors.reasons.campaign_arms_invalid", { max: L.max_arms }) }]} style={{ marginBottom: 0 }}>
                            <InputNumber min={1} max={99} precision={0} suffix="%" aria-label={c("share")} style={{ width: 120 }} />
                          </Form.Item>
                          {kind === "points_multiplier" && (
                            <Form.Item name={[field.name, "multiplier"]} style={{ marginBottom: 0 }}>
                              <InputNumber min={L.min_multiplier} max={L.max_multiplier} step={0.1} precision={2} suffix="×" placeholder={c("sameAsOffer")} aria-label={c("multiplier")} style={{ width: 180 }} />
                            </Form.Item>
                          )}
                          {kind === "benefit_grant" && (
                            <Form.Item name={[field.name, "uses"]} style={{ marginBottom: 0 }}>
                              <InputNumber min={1} max={L.max_uses} precision={0} placeholder={c("sameAsOffer")} aria-label={c("uses")} style={{ width: 160 }} />
                            </Form.Item>
                          )}
                          {kind === "message" && (
                            <Form.Item name={[field.name, "message"]} style={{ marginBottom: 0 }}>
                              <Input maxLength={L.max_message_length} placeholder={c("sameAsOffer")} aria-label={c("template")} style={{ width: 240 }} />
                            </Form.Item>
                          )}
                          {fields.length > 2 && <Button type="link" onClick={() => remove(field.name)}>{c("removeArm")}</Button>}
                        </Space>
                      ))}
                      {fields.length < L.max_arms && <Button onClick={() => add({ share: 0 })}>{c("addArm")}</Button>}
                      <Typography.Text type="secondary">{c("armsHint")}</Typography.Text>
                    </Space>
                  )}
                </Form.List>
              )}
              {armProblems.map((p) => <Alert key={p.code} type="error" showIcon style={{ marginTop: 8 }} message={t(`errors.reasons.${p.code}`, p.values)} />)}
            </Card>
          </Col>
        </Row>
      </Form>
    </Page>
  );
}
