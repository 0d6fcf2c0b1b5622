import { App, Button, Card, Col, DatePicker, Form, Input, InputNumber, Popconfirm, Row, Select, Space, Tag } from "antd";
import dayjs, { type Dayjs } from "dayjs";
import { useMemo, useState } from "react";
import { useTranslation } from "react-i18next";
import { DEFAULT_LOT_KIND, definitionStatusLabel, LOT_KINDS, lotKindLabel, RULE_PRIORITY_MAX, RULE_PRIORITY_MIN } from "../../../core/enums/index.ts";
import { ruleKind } from "../../../core/rule-kinds/index.ts";
import { RpcErrorAlert } from "../../components/RpcErrorAlert";
import { useConfirmedCall } from "../../components/useConfirmedCall";
import { usePublishSettings, useRequestPublish } from "../../data/definitions/publish-approval";
import { useDeleteDraft, usePublishRule, useSaveDraft, type RuleDraftChanges } from "../../data/rules/queries";
import { PublishRequestNotice, usePublishRequestFor } from "../approvals/PublishRequestNotice";
import type { Rule } from "../../data/rules/types";
import { localizeRpcError } from "../../lib/rpc-errors";
import { checkLogic } from "./logic";
import { LogicFaults } from "./LogicFaults";
import { TestBench } from "./TestBench";
import { useTestGate } from "./useTestGate";
import { useUnitRuleSetText } from "./UnitRuleSetNotice";
import { WhatIfPanel } from "./WhatIfPanel";
import { LogicTabs } from "./visual/LogicTabs";
import { useWarnWhenUnsaved } from "../../builder/useWarnWhenUnsaved";

const pretty = (logic: unknown) => JSON.stringify(logic, null, 2);
const iso = (d: Dayjs | null) => (d ? d.toISOString() : null);

/**
 * One version of a rule: a draft is edited here (name, priority, window, lot kind, JSON-logic validated live),
 * tried on the test bench, simulated (what-if) and published; other versions are shown read-only.
 */
export function RuleEditor({ rule, canEdit, onDeleted }: { rule: Rule; canEdit: boolean; onDeleted: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const editable = canEdit && rule.status === "draft";
  const [name, setName] = useState(rule.name);
  const [priority, setPriority] = useState<number>(rule.priority);
  const [from, setFrom] = useState<Dayjs | null>(rule.active_from ? dayjs(rule.active_from) : null);
  const [to, setTo] = useState<Dayjs | null>(rule.active_to ? dayjs(rule.active_to) : null);
  const [lotKind, setLotKind] = useState<string | null>(rule.lot_kind);
  const [text, setText] = useState(() => pretty(rule.logic));
  const check = useMemo(() => checkLogic(text), [text]);
  const save = useSaveDraft();
  const remove = useDeleteDraft();
  const publish = usePublishRule();
  const publishCall = useConfirmedCall<Rule>();
  const [saveError, setSaveError] = useState<string | null>(null);
  const unitSet = useUnitRuleSetText(rule.kind, rule.business_unit_id);
  const { needsApproval } = usePublishSettings();
  const viaApproval = needsApproval("rule");
  const requestPublish = useRequestPublish("rule", rule.key);
  const publishRequest = usePublishRequestFor("rule", rule.key, rule.status === "draft" ? rule.version : undefined);
  const waiting = publishRequest?.status === "pending";
  const testGate = useTestGate(rule);

  const changes = (): RuleDraftChanges | null =>
    check.state === "ok"
      ? { name: name.trim(), priority, active_from: iso(from), active_to: iso(to), lot_kind: ruleKind(rule.kind).usesLotKind ? lotKind : null, logic: check.logic }
      : null;
  const dirty =
    name !== rule.name ||
    priority !== rule.priority ||
    iso(from) !== (rule.active_from ? dayjs(rule.active_from).toISOString() : null) ||
    iso(to) !== (rule.active_to ? dayjs(rule.active_to).toISOString() : null) ||
    (lotKind ?? null) !== (rule.lot_kind ?? null) ||
    (check.state === "ok" ? JSON.stringify(check.logic) !== JSON.stringify(rule.logic) : true);
  useWarnWhenUnsaved(editable && dirty);

  /** Saves unsaved edits (the engine and publish_rule read the draft from the database). */
  const saveNow = async () => {
    if (!dirty) return;
    const body = changes();
    if (!body) throw new Error(t("rules.editor.fixFirst"));
    await save.mutateAsync({ id: rule.id, changes: body });
  };

  const onSave = async () => {
    setSaveError(null);
    try {
      await saveNow();
      message.success(t("rules.editor.saved"));
    } catch (failure) {
      setSaveError(localizeRpcError(failure, t));
    }
  };

  const onPublish = () =>
    publishCall.confirm({
      title: viaApproval ? t("approvals.publishRequest.confirmTitle", { version: rule.version }) : t("rules.editor.publishTitle", { key: rule.key, version: rule.version }),
      content: (
        <>
          <p>{t(viaApproval ? "approvals.publishRequest.confirmContent" : "rules.editor.publishContent")}</p>
          {unitSet && !unitSet.exists && <p data-testid="publish-unit-set">{unitSet.text}</p>}
        </>
      ),
      okText: t(viaApproval ? "approvals.publishRequest.submit" : "rules.editor.publish"),
      run: async () => {
        await saveNow();
        await testGate.ensurePassed();
        if (viaApproval) {
          await requestPublish.mutateAsync({ version: rule.version, idempotencyKey: `publish:${rule.key}:${rule.version}:${crypto.randomUUID()}` });
          message.success(t("approvals.publishRequest.submitted"));
          return rule;
        }
        const published = await publish.mutateAsync({ key: rule.key, version: rule.version });
        message.success(t("rules.editor.published", { version: rule.version }));
        return published;
      },
    });

  return (
    <Space direction="vertical" size="middle" style={{ width: "100%" }}>
      <Card
        size="small"
        title={
          editable
            ? t("rules.editor.draft", { version: rule.version })
            : t("rules.editor.readOnly", { version: rule.version, status: t(definitionStatusLabel(rule.status)) })
        }
        extra={
          editable && (
            <Space>
              {dirty && <Tag color="orange">{t("rules.editor.unsaved")}</Tag>}
              <Popconfirm
                title={t("rules.editor.deleteConfirm", { version: rule.version })}
                okText={t("rules.editor.deleteDraft")}
                cancelText={t("buttons.cancel")}
                onConfirm={async () => {
                  await remove.mutateAsync(rule.id);
                  onDeleted();
                }}
              >
                <Button danger loading={remove.isPending}>
                  {t("rules.editor.deleteDraft")}
                </Button>
              </Popconfirm>
              <Button onClick={onSave} loading={save.isPending} disabled={!dirty || check.state !== "ok" || !name.trim()}>
                {t("rules.editor.save")}
              </Button>
              <Button type="primary" onClick={onPublish} disabled={check.state !== "ok" || !name.trim() || waiting}>
                {t(viaApproval ? "approvals.publishRequest.submit" : "rules.editor.publish")}
              </Button>
            </Space>
          )
        }
      >
        {editable && <PublishRequestNotice request={publishRequest} />}
        <RpcErrorAlert message={saveError ?? publishCall.error} />
        <Form layout="vertical" disabled={!editable}>
          <Row gutter={16}>
            <Col xs={24} md={10}>
              <Form.Item label={t("rules.fields.name")} required>
                <Input aria-label={t("rules.fields.name")} value={name} maxLength={100} onChange={(e) => setName(e.target.value)} />
              </Form.Item>
            </Col>
            <Col xs={12} md={4}>
              <Form.Item label={t("rules.fields.priority")}>
                <InputNumber
                  aria-label={t("rules.fields.priority")}
                  value={priority}
                  min={RULE_PRIORITY_MIN}
                  max={RULE_PRIORITY_MAX}
                  precision={0}
                  style={{ width: "100%" }}
                  onChange={(v) => setPriority(v ?? 0)}
                />
              </Form.Item>
            </Col>
            {ruleKind(rule.kind).usesLotKind && (
              <Col xs={12} md={4}>
                <Form.Item label={t("rules.fields.lotKind")}>
                  <Select
                    aria-label={t("rules.fields.lotKind")}
                    value={lotKind}
                    allowClear
                    placeholder={t(lotKindLabel(DEFAULT_LOT_KIND))}
                    onChange={(v) => setLotKind(v ?? null)}
                    options={LOT_KINDS.map((k) => ({ value: k, label: t(lotKindLabel(k)) }))}
                  />
                </Form.Item>
              </Col>
            )}
            <Col xs={24} md={6}>
              <Form.Item label={t("rules.fields.activeWindow")}>
                <DatePicker.RangePicker
                  showTime
                  allowEmpty={[true, true]}
                  value={[from, to]}
                  placeholder={[t("rules.fields.activeFrom"), t("rules.fields.activeTo")]}
                  onChange={(range) => {
                    setFrom(range?.[0] ?? null);
                    setTo(range?.[1] ?? null);
                  }}
                  style={{ width: "100%" }}
                />
              </Form.Item>
            </Col>
          </Row>
          <Form.Item label={t("rules.fields.logic")}>
            <LogicTabs kind={rule.kind} text={text} onText={setText} editable={editable} check={check} />
          </Form.Item>
        </Form>
        <LogicFaults check={check} />
      </Card>
      <TestBench kind={rule.kind} check={check} rule={rule} canEdit={editable} beforeRun={saveNow} />
      {editable && <WhatIfPanel ruleKey={rule.key} beforeRun={saveNow} disabled={check.state !== "ok"} />}
    </Space>
  );
}
