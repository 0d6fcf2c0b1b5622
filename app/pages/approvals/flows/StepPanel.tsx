import { ArrowDownOutlined, ArrowUpOutlined, DeleteOutlined } from "@ant-design/icons";
import { Button, Card, Col, Form, Input, InputNumber, Radio, Row, Select, Space, Typography } from "antd";
import { useTranslation } from "react-i18next";
import { APPROVAL_MODES, APPROVAL_SCOPES, APPROVER_ROLES, FLOW_LIMITS, approvalModeLabel, approvalScopeLabel, roleLabel } from "../../../../core/enums/index.ts";
import { FLOW_CONDITION_OPERATORS } from "../../../../core/approvals/flow-conditions.ts";
import { conditionProblem, type EditorStep } from "./editor-state";
import { FlowConditionEditor } from "./FlowConditionEditor";

const CONDITION_EXAMPLE = JSON.stringify({ ">": [{ var: "points_abs" }, 1000] });

/** The side panel of the selected step: every setting of the step, and moving or removing it. */
export function StepPanel({ step, index, count, editable, units, onChange, onMove, onRemove }: {
  step: EditorStep;
  index: number;
  count: number;
  editable: boolean;
  units: { code: string; name: string }[];
  onChange: (changes: Partial<EditorStep>) => void;
  onMove: (to: number) => void;
  onRemove: () => void;
}) {
  const { t } = useTranslation();
  const roles = APPROVER_ROLES.map((role) => ({ value: role, label: t(roleLabel(role)) }));
  const conditionFault = conditionProblem(step.conditionText);
  return (
    <Card
      size="small"
      title={t("approvals.flowEditor.stepTitle", { n: index + 1 })}
      extra={editable && (
        <Space size={4}>
          <Button size="small" icon={<ArrowUpOutlined />} disabled={index === 0} onClick={() => onMove(index - 1)} aria-label={t("approvals.flowEditor.moveUp")} />
          <Button size="small" icon={<ArrowDownOutlined />} disabled={index === count - 1} onClick={() => onMove(index + 1)} aria-label={t("approvals.flowEditor.moveDown")} />
          <Button size="small" danger icon={<DeleteOutlined />} disabled={count === 1} onClick={onRemove}>{t("approvals.flowEditor.removeStep")}</Button>
        </Space>
      )}
    >
      <Form layout="vertical" disabled={!editable} size="small">
        <Row gutter={12}>
          <Col xs={24} sm={12}>
            <Form.Item label={t("approvals.flowEditor.fields.name")} required>
              <Input aria-label={t("approvals.flowEditor.fields.name")} value={step.name} maxLength={FLOW_LIMITS.maxNameLength} onChange={(e) => onChange({ name: e.target.value })} />
            </Form.Item>
          </Col>
          <Col xs={24} sm={12}>
            <Form.Item label={t("approvals.flowEditor.fields.nameEn")}>
              <Input aria-label={t("approvals.flowEditor.fields.nameEn")} value={step.name_en ?? ""} maxLength={FLOW_LIMITS.maxNameLength} onChange={(e) => onChange({ name_en: e.target.value.trim() ? e.target.value : null })} />
            </Form.Item>
          </Col>
          <Col xs={24} sm={12}>
            <Form.Item label={t("approvals.flowEditor.fields.key")} help={t("approvals.flowEditor.keyHelp")}>
              <Input aria-label={t("approvals.flowEditor.fields.key")} value={step.key} maxLength={32} onChange={(e) => onChange({ key: e.target.value })} translate="no" />
            </Form.Item>
          </Col>
          <Col xs={24} sm={12}>
            <Form.Item label={t("approvals.flowEditor.fields.role")} required>
              <Select aria-label={t("approvals.flowEditor.fields.role")} value={step.approver_role} options={roles} onChange={(role) => onChange({ approver_role: role })} />
            </Form.Item>
          </Col>
          <Col xs={24} sm={12}>
            <Form.Item label={t("approvals.flowEditor.fields.scope")} required>
              <Select
                aria-label={t("approvals.flowEditor.fields.scope")}
                value={step.scope}
                options={APPROVAL_SCOPES.map((scope) => ({ value: scope, label: t(approvalScopeLabel(scope)) }))}
                onChange={(scope) => onChange({ scope, unit_code: scope === "unit" ? (step.unit_code ?? units[0]?.code ?? null) : null })}
              />
            </Form.Item>
          </Col>
          {step.scope === "unit" && (
            <Col xs={24} sm={12}>
              <Form.Item label={t("approvals.flowEditor.fields.unit")} required>
                <Select aria-label={t("approvals.flowEditor.fields.unit")} value={step.unit_code ?? undefined} options={units.map((u) => ({ value: u.code, label: u.name }))} onChange={(code) => onChange({ unit_code: code })} />
              </Form.Item>
            </Col>
          )}
          <Col xs={24}>
            <Form.Item label={t("approvals.flowEditor.fields.mode")}>
              <Radio.Group value={step.mode} onChange={(e) => onChange({ mode: e.target.value })}>
                {APPROVAL_MODES.map((mode) => <Radio key={mode} value={mode}>{t(approvalModeLabel(mode))}</Radio>)}
              </Radio.Group>
            </Form.Item>
          </Col>
          <Col xs={12} sm={8}>
            <Form.Item label={t("approvals.flowEditor.fields.sla")} required>
              <InputNumber aria-label={t("approvals.flowEditor.fields.sla")} value={step.sla_hours} min={FLOW_LIMITS.minSlaHours} max={FLOW_LIMITS.maxSlaHours} style={{ width: "100%" }} onChange={(v) => onChange({ sla_hours: v ?? 0 })} />
            </Form.Item>
          </Col>
          <Col xs={12} sm={8}>
            <Form.Item label={t("approvals.flowEditor.fields.reminder")}>
              <InputNumber aria-label={t("approvals.flowEditor.fields.reminder")} value={step.reminder_hours ?? null} min={FLOW_LIMITS.minReminderHours} max={step.sla_hours} step={0.5} style={{ width: "100%" }} onChange={(v) => onChange({ reminder_hours: v ?? null })} />
            </Form.Item>
          </Col>
          <Col xs={24} sm={8}>
            <Form.Item label={t("approvals.flowEditor.fields.escalateTo")}>
              <Select aria-label={t("approvals.flowEditor.fields.escalateTo")} value={step.escalate_to ?? undefined} allowClear options={roles} placeholder={t("approvals.flowEditor.noEscalation")} onChange={(role) => onChange({ escalate_to: role ?? null })} />
            </Form.Item>
          </Col>
          <Col xs={24}>
            <Form.Item
              label={t("approvals.flowEditor.fields.condition")}
              validateStatus={conditionFault ? "error" : undefined}
              help={conditionFault ? t(`approvals.flowEditor.problems.${conditionFault}`) : (
                <>{t("approvals.flowEditor.conditionHelp")}<code translate="no">{CONDITION_EXAMPLE}</code></>
              )}
            >
              <FlowConditionEditor key={index} text={step.conditionText} label={t("approvals.flowEditor.fields.condition")} disabled={!editable}
                onChange={(conditionText) => onChange({ conditionText })} />
            </Form.Item>
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {t("approvals.flowEditor.operators")}<code translate="no">{FLOW_CONDITION_OPERATORS.join(" ")}</code>
            </Typography.Text>
          </Col>
        </Row>
      </Form>
    </Card>
  );
}
