import { Show } from "@refinedev/antd";
import { useCan } from "@refinedev/core";
import { App, Button, Card, Descriptions, Result, Select, Space, Typography } from "antd";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { useParams } from "react-router";
import { useLookup } from "../../../components/useLookup";
import { useUnitByCode } from "../../../components/useUnitByCode";
import { useUnitName } from "../../../components/useUnitName";
import { usePublishSettings, useRequestPublish } from "../../../data/definitions/publish-approval";
import { draftOf, useBenefitDefinitions, useCreateBenefitDraft, usePublishBenefitDefinition } from "../../../data/benefits/definitions";
import type { BenefitDefinition } from "../../../data/benefits/types";
import { formatDateTime, localizedName } from "../../../lib/format";
import { localizeRpcError } from "../../../lib/rpc-errors";
import type { Tier } from "../../../lib/types";
import { PublishRequestNotice, usePublishRequestFor } from "../../approvals/PublishRequestNotice";
import { RuleStatusTag } from "../../rules/StatusTag";
import { CampaignGrantModal } from "../CampaignGrantModal";
import { ruleLines } from "../describe";
import { BenefitEditor, MEMBER_BUILDER_FIELDS, TRANSACTION_BUILDER_FIELDS } from "./BenefitEditor";
import { LogicField } from "./LogicField";
import { triggerText } from "./triggers";

/** One benefit key: its versions, the chosen one in plain words (or its editor when a draft), publishing. */
export function BenefitDefinitionShow() {
  const { t, i18n } = useTranslation();
  const { modal, message } = App.useApp();
  const { key = "" } = useParams();
  const { rows, query } = useBenefitDefinitions(key);
  const unitByCode = useUnitByCode();
  const unitName = useUnitName();
  const tiers = useLookup<Tier>("tiers", "code");
  const { data: canEdit } = useCan({ resource: "benefit_definitions", action: "edit" });
  const { data: canPublish } = useCan({ resource: "definition_publish", action: "create" });
  const createDraft = useCreateBenefitDraft();
  const publish = usePublishBenefitDefinition();
  const [chosen, setChosen] = useState<number | null>(null);
  const [granting, setGranting] = useState(0);
  const { data: canGrant } = useCan({ resource: "benefit_grants", action: "create" });
  const { needsApproval } = usePublishSettings();
  const viaApproval = needsApproval("benefit");
  const requestPublish = useRequestPublish("benefit", key);
  const d = (k: string, values?: Record<string, unknown>) => t(`benefit_definitions.show.${k}`, values);

  const draft = rows.find((r) => r.status === "draft");
  const current = rows.find((r) => r.version === chosen) ?? draft ?? rows.find((r) => r.status === "published") ?? rows[0];
  const published = rows.find((r) => r.status === "published");
  const publishRequest = usePublishRequestFor("benefit", key, draft?.version);
  const waiting = publishRequest?.status === "pending";
  if (query.isSuccess && rows.length === 0) return <Result status="404" title="404" subTitle={d("notFound")} />;

  const newDraft = async (from: BenefitDefinition) => {
    try {
      const made = await createDraft.mutateAsync(draftOf(from, Math.max(...rows.map((r) => r.version)) + 1));
      setChosen(made.version);
    } catch (failure) {
      message.error(localizeRpcError(failure, t));
    }
  };

  const doPublish = (def: BenefitDefinition) =>
    modal.confirm({
      title: viaApproval ? t("approvals.publishRequest.confirmTitle", { version: def.version }) : d("publishTitle", { version: def.version }),
      content: viaApproval ? t("approvals.publishRequest.confirmContent") : d("publishContent"),
      okText: viaApproval ? t("approvals.publishRequest.submit") : d("publish"),
      cancelText: t("buttons.cancel"),
      onOk: async () => {
        try {
          if (viaApproval) {
            await requestPublish.mutateAsync({ version: def.version, idempotencyKey: `publish:${def.key}:${def.version}:${crypto.randomUUID()}` });
            message.success(t("approvals.publishRequest.submitted"));
            return;
          }
          await publish.mutateAsync({ key: def.key, version: def.version });
          message.success(d("published", { version: def.version }));
          setChosen(def.version);
        } catch (failure) {
          message.error(localizeRpcError(failure, t));
        }
      },
    });

  const buttons = current && (
    <Space wrap>
      <Select aria-label={d("version")} value={current.version} style={{ minWidth: 160 }} onChange={setChosen}
        options={rows.map((r) => ({ value: r.version, label: `v${r.version} · ${t(`definitionStatuses.${r.status}`)}` }))} />
      {canEdit?.can && !draft && (
        <Button loading={createDraft.isPending} onClick={() => void newDraft(current)}>{d("newDraft")}</Button>
      )}
      {current.status === "draft" && (canPublish?.can || (canEdit?.can && viaApproval)) && (
        <Button type="primary" loading={publish.isPending || requestPublish.isPending} disabled={waiting} onClick={() => doPublish(current)}>
          {viaApproval ? t("approvals.publishRequest.submit") : d("publish")}
        </Button>
      )}
      {canGrant?.can && current.status === "published" && (
        <Button onClick={() => setGranting((n) => n + 1)}>{t("benefitsUi.campaign.button")}</Button>
      )}
    </Space>
  );

  return (
    <Show title={current ? `${localizedName(current, i18n.language)} · v${current.version}` : t("benefit_definitions.title")} isLoading={query.isLoading} headerButtons={buttons}>
      {current && (
        <Space direction="vertical" size="large" style={{ width: "100%" }}>
          {current.status === "draft" && <PublishRequestNotice request={publishRequest} />}
          <Card size="small">
            <Descriptions size="small" column={{ xs: 1, md: 2 }}>
              <Descriptions.Item label={t("benefit_definitions.fields.status")}><RuleStatusTag status={current.status as "draft"} /></Descriptions.Item>
              <Descriptions.Item label={t("benefit_definitions.fields.inForce")}>{published ? `v${published.version}` : d("noneInForce")}</Descriptions.Item>
              <Descriptions.Item label={t("benefit_definitions.fields.rules")}>
                <Space direction="vertical" size={0}>{ruleLines(current, unitByCode, t).map((line) => <span key={line}>{line}</span>)}</Space>
              </Descriptions.Item>
              <Descriptions.Item label={t("benefit_definitions.fields.triggers")}>
                <Space direction="vertical" size={0}>
                  <span>{triggerText(current, t)}</span>
                  {current.grant_on_tiers?.length ? (
                    <Typography.Text type="secondary">
                      {d("tiers", { tiers: current.grant_on_tiers.map((c) => localizedName(tiers.map.get(c), i18n.language)).join("、") })}
                    </Typography.Text>
                  ) : null}
                </Space>
              </Descriptions.Item>
              <Descriptions.Item label={t("benefit_definitions.fields.issuingUnit")}>{unitName(current.issuing_unit_id)}</Descriptions.Item>
              {current.published_at && <Descriptions.Item label={t("benefit_definitions.fields.publishedAt")}>{formatDateTime(current.published_at)}</Descriptions.Item>}
            </Descriptions>
          </Card>
          {current.status === "draft" && canEdit?.can ? (
            <BenefitEditor key={`${current.id}`} def={current} onSaved={() => void query.refetch()} />
          ) : (
            <Card size="small" title={d("conditions")}>
              <Descriptions size="small" column={1}>
                <Descriptions.Item label={t("benefit_definitions.editor.eligibility")}>
                  <LogicField key={`e${current.id}`} disabled value={current.eligibility} onChange={() => undefined} fields={MEMBER_BUILDER_FIELDS}
                    noneLabel={t("benefit_definitions.editor.eligibilityNone")} someLabel={t("benefit_definitions.editor.eligibilitySome")} />
                </Descriptions.Item>
                <Descriptions.Item label={t("benefit_definitions.editor.onTransaction")}>
                  <LogicField key={`t${current.id}`} disabled value={current.grant_on_transaction} onChange={() => undefined} fields={TRANSACTION_BUILDER_FIELDS}
                    noneLabel={t("benefit_definitions.editor.onTransactionNone")} someLabel={t("benefit_definitions.editor.onTransactionSome")} />
                </Descriptions.Item>
              </Descriptions>
            </Card>
          )}
        </Space>
      )}
      {granting > 0 && current && <CampaignGrantModal key={granting} definition={current} onClose={() => setGranting(0)} />}
    </Show>
  );
}
