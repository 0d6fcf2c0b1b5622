import { PlusOutlined } from "@ant-design/icons";
import { Show } from "@refinedev/antd";
import { App, Alert, Button, Card, Col, Descriptions, Form, Input, Row, Space, Tag, Typography } from "antd";
import { useMemo, useState } from "react";
import { useParams } from "react-router";
import { useTranslation } from "react-i18next";
import { approvalFlowActionLabel, definitionStatusLabel } from "../../../../core/enums/index.ts";
import { RpcErrorAlert } from "../../../components/RpcErrorAlert";
import { useConfirmedCall } from "../../../components/useConfirmedCall";
import { useLookup } from "../../../components/useLookup";
import { useWarnWhenUnsaved } from "../../../builder/useWarnWhenUnsaved";
import { useCreateFlowDraft, useFlowVersions, usePublishFlow, useSaveFlowDraft, type ApprovalFlow } from "../../../data/approvals/flows";
import { usePublishSettings, useRequestPublish } from "../../../data/definitions/publish-approval";
import { formatDateTime, localizedName } from "../../../lib/format";
import { localizeRpcError } from "../../../lib/rpc-errors";
import type { BusinessUnit } from "../../../lib/types";
import { PublishRequestNotice, usePublishRequestFor } from "../PublishRequestNotice";
import { editorProblem, moved, newStep, storedSteps, toEditorStep, type EditorStep } from "./editor-state";
import { FlowDiagram } from "./FlowDiagram";
import { flowProblemText, flowSaveErrorText } from "./flow-problem-text";
import { StepPanel } from "./StepPanel";

interface Draft {
  name: string;
  name_en: string | null;
  steps: EditorStep[];
}

const draftOf = (flow: ApprovalFlow): Draft => ({ name: flow.name, name_en: flow.name_en, steps: flow.steps.map(toEditorStep) });
const sameAs = (draft: Draft, flow: ApprovalFlow) =>
  draft.name === flow.name && (draft.name_en ?? null) === (flow.name_en ?? null) &&
  JSON.stringify(storedSteps(draft.steps)) === JSON.stringify(flow.steps.map((step) => ({ ...step, unit_code: step.scope === "unit" ? (step.unit_code ?? null) : null })));

/**
 * One approval flow: its newest version drawn as a diagram and edited step by step in a side panel. Saving a
 * published version makes draft n+1; publishing goes through the shared lifecycle (or, when publishing flows
 * needs approval, files a request). Requests already running keep the version they started with.
 */
export function FlowEditorPage() {
  const { key = "" } = useParams();
  const { t, i18n } = useTranslation();
  const { message } = App.useApp();
  const { data: versions } = useFlowVersions(key);
  const latest = versions?.[0];
  const published = versions?.find((v) => v.status === "published");
  const units = useLookup<BusinessUnit>("business_units");
  const unitOptions = useMemo(() => units.rows.map((u) => ({ code: u.code, name: localizedName(u, i18n.language) })), [units.rows, i18n.language]);
  const unitCodes = useMemo(() => units.rows.map((u) => u.code), [units.rows]);
  const unitName = (code: string | null | undefined) => unitOptions.find((u) => u.code === code)?.name ?? "—";

  const [draft, setDraft] = useState<Draft | null>(null);
  const [selected, setSelected] = useState<number | null>(0);
  const [saveError, setSaveError] = useState<string | null>(null);
  // A new newest version, or its publication, replaces what the editor holds: it is what was just saved.
  const stamp = latest ? `${latest.id}:${latest.status}` : null;
  const [loaded, setLoaded] = useState<string | null>(null);
  if (latest && stamp !== loaded) {
    setLoaded(stamp);
    setDraft(draftOf(latest));
  }

  const createDraft = useCreateFlowDraft();
  const saveDraft = useSaveFlowDraft();
  const publish = usePublishFlow();
  const requestPublish = useRequestPublish("approval_flow", key);
  const publishCall = useConfirmedCall<unknown>();
  const { needsApproval } = usePublishSettings();
  const viaApproval = needsApproval("approval_flow");
  const request = usePublishRequestFor("approval_flow", key, latest?.status === "draft" ? latest.version : undefined);

  const dirty = !!draft && !!latest && !sameAs(draft, latest);
  useWarnWhenUnsaved(dirty);
  const problem = draft ? editorProblem(draft.steps, unitCodes) : null;
  const nameMissing = !!draft && !draft.name.trim();
  if (!versions || !latest || !draft) return <Show title={t("approvals.flowEditor.title")} isLoading={!versions} headerButtons={() => null} />;

  const changeStep = (index: number, changes: Partial<EditorStep>) =>
    setDraft({ ...draft, steps: draft.steps.map((step, i) => (i === index ? { ...step, ...changes } : step)) });

  /** Saves what is edited: the draft itself, or a new draft after the newest version. Returns the saved version. */
  const saveNow = async (): Promise<ApprovalFlow> => {
    if (!dirty && latest.status === "draft") return latest;
    const steps = storedSteps(draft.steps);
    if (!steps || problem) throw new Error(problem ? flowProblemText(problem, t) : t("approvals.flowEditor.fixFirst"));
    const changes = { name: draft.name.trim(), name_en: draft.name_en?.trim() || null, description: latest.description, steps };
    if (latest.status === "draft") return saveDraft.mutateAsync({ id: latest.id, changes });
    return createDraft.mutateAsync({ key, version: latest.version + 1, action: latest.action, form_key: latest.form_key, ...changes });
  };
  const saveError_ = (error: unknown) => flowSaveErrorText(error, t, (e) => localizeRpcError(e, t));

  const onSave = async () => {
    setSaveError(null);
    try {
      const saved = await saveNow();
      message.success(t("approvals.flowEditor.saved", { version: saved.version }));
    } catch (error) {
      setSaveError(saveError_(error));
    }
  };

  const onPublish = () =>
    publishCall.confirm({
      title: t(viaApproval ? "approvals.publishRequest.confirmTitle" : "approvals.flowEditor.publishTitle", { version: latest.status === "draft" ? latest.version : latest.version + 1 }),
      content: <p>{t(viaApproval ? "approvals.publishRequest.confirmContent" : "approvals.flowEditor.publishContent")}</p>,
      okText: t(viaApproval ? "approvals.publishRequest.submit" : "approvals.flowEditor.publish"),
      run: async () => {
        let saved: ApprovalFlow;
        try {
          saved = await saveNow();
        } catch (error) {
          throw new Error(saveError_(error), { cause: error });
        }
        if (viaApproval) {
          const filed = await requestPublish.mutateAsync({ version: saved.version, idempotencyKey: `publish:${key}:${saved.version}:${crypto.randomUUID()}` });
          message.success(t("approvals.publishRequest.submitted"));
          return filed;
        }
        const done = await publish.mutateAsync({ key, version: saved.version });
        message.success(t("approvals.flowEditor.published", { version: saved.version }));
        return done;
      },
    });

  const step = selected !== null ? draft.steps[selected] : undefined;
  const pendingHere = request?.status === "pending";
  return (
    <Show
      title={t("approvals.flowEditor.titleOf", { name: localizedName(latest, i18n.language) })}
      headerButtons={() => (
        <Space wrap>
          {dirty && <Tag color="orange">{t("approvals.flowEditor.unsaved")}</Tag>}
          <Button onClick={onSave} loading={saveDraft.isPending || createDraft.isPending} disabled={!dirty || !!problem || nameMissing}>
            {t(latest.status === "draft" ? "approvals.flowEditor.save" : "approvals.flowEditor.saveAsDraft")}
          </Button>
          <Button type="primary" onClick={onPublish} disabled={!!problem || nameMissing || (!dirty && latest.status !== "draft") || pendingHere}>
            {t(viaApproval ? "approvals.publishRequest.submit" : "approvals.flowEditor.publish")}
          </Button>
        </Space>
      )}
    >
      <Space direction="vertical" size="middle" style={{ width: "100%" }}>
        <Descriptions size="small" column={{ xs: 1, md: 3 }} bordered>
          <Descriptions.Item label={t("approvals.flowEditor.editing")}>
            {latest.status === "draft"
              ? t("approvals.flowEditor.draftVersion", { version: latest.version })
              : t("approvals.flowEditor.newDraftOf", { version: latest.version })}
          </Descriptions.Item>
          <Descriptions.Item label={t("approvals.flowEditor.inForce")}>
            {published ? t("approvals.flowEditor.publishedVersion", { version: published.version, at: formatDateTime(published.published_at) }) : "—"}
          </Descriptions.Item>
          <Descriptions.Item label={t("approvals.flowEditor.action")}>{t(approvalFlowActionLabel(latest.action))}</Descriptions.Item>
        </Descriptions>
        <Typography.Text type="secondary">{t("approvals.flowEditor.versionNote")}</Typography.Text>
        <PublishRequestNotice request={request} />
        {problem && <Alert type="error" showIcon data-testid="flow-problem" message={flowProblemText(problem, t)} />}
        <RpcErrorAlert message={saveError ?? publishCall.error} />
        <Form layout="vertical">
          <Row gutter={12}>
            <Col xs={24} md={12}>
              <Form.Item label={t("approvals.flowEditor.fields.flowName")} required validateStatus={nameMissing ? "error" : undefined}>
                <Input aria-label={t("approvals.flowEditor.fields.flowName")} value={draft.name} maxLength={100} onChange={(e) => setDraft({ ...draft, name: e.target.value })} />
              </Form.Item>
            </Col>
            <Col xs={24} md={12}>
              <Form.Item label={t("approvals.flowEditor.fields.flowNameEn")}>
                <Input aria-label={t("approvals.flowEditor.fields.flowNameEn")} value={draft.name_en ?? ""} maxLength={100} onChange={(e) => setDraft({ ...draft, name_en: e.target.value || null })} />
              </Form.Item>
            </Col>
          </Row>
        </Form>
        <Row gutter={[16, 16]}>
          <Col xs={24} lg={11}>
            <Card
              size="small"
              title={t("approvals.flowEditor.diagram")}
              extra={(
                <Button
                  size="small"
                  icon={<PlusOutlined />}
                  onClick={() => {
                    setDraft({ ...draft, steps: [...draft.steps, newStep(draft.steps)] });
                    setSelected(draft.steps.length);
                  }}
                >
                  {t("approvals.flowEditor.addStep")}
                </Button>
              )}
            >
              <FlowDiagram steps={draft.steps} action={latest.action} selected={selected} onSelect={setSelected} unitName={unitName} />
            </Card>
          </Col>
          <Col xs={24} lg={13}>
            {step && selected !== null ? (
              <StepPanel
                step={step}
                index={selected}
                count={draft.steps.length}
                editable
                units={unitOptions}
                onChange={(changes) => changeStep(selected, changes)}
                onMove={(to) => {
                  setDraft({ ...draft, steps: moved(draft.steps, selected, to) });
                  setSelected(to);
                }}
                onRemove={() => {
                  setDraft({ ...draft, steps: draft.steps.filter((_, i) => i !== selected) });
                  setSelected(Math.max(0, selected - 1));
                }}
              />
            ) : (
              <Alert type="info" message={t("approvals.flowEditor.selectStep")} />
            )}
          </Col>
        </Row>
        <Card size="small" title={t("approvals.flowEditor.versions")}>
          <Space wrap>
            {versions.map((v) => (
              <Tag key={v.id} color={v.status === "published" ? "green" : v.status === "draft" ? "gold" : undefined}>
                v{v.version} · {t(definitionStatusLabel(v.status))}
              </Tag>
            ))}
          </Space>
        </Card>
      </Space>
    </Show>
  );
}
