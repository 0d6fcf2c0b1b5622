import { App, Form, Input, Modal, Radio } from "antd";
import { useTranslation } from "react-i18next";
import { useRpcMutation } from "../../data/use-rpc";
import { SETTLEMENT_LIMITS, type SettlementDecision, type SettlementStatement } from "../../data/settlement/types";
import { localizeRpcError } from "../../lib/rpc-errors";
import { monthLabel, moneyText } from "./shared";

interface DecideInput {
  statement: SettlementStatement;
  decision: SettlementDecision;
  comment: string;
}

/**
 * Confirm or dispute a statement for the user's side: the decision and a comment (a dispute needs one, checked here
 * before the confirmation dialog; decide_settlement_statement refuses the same), then a confirmation naming the amounts.
 */
export function DecideModal({ request, onClose, unitName }: {
  request: { statement: SettlementStatement; decision: SettlementDecision } | null;
  onClose: () => void;
  unitName: (id: string) => string;
}) {
  const { t } = useTranslation();
  const { modal, message } = App.useApp();
  const [form] = Form.useForm<{ decision: SettlementDecision; comment?: string }>();
  const decide = useRpcMutation<DecideInput, unknown>("decide_settlement_statement", {
    args: ({ statement, decision, comment }) => ({
      p_period: statement.period,
      p_business_unit_id: statement.business_unit_id,
      p_counterparty_unit_id: statement.counterparty_unit_id,
      p_decision: decision,
      p_comment: comment || null,
    }),
    invalidates: ["settlement_statements", "settlement_statement_decisions"],
  });
  if (!request) return null;
  const { statement } = request;
  const names = { unit: unitName(statement.business_unit_id), counterparty: unitName(statement.counterparty_unit_id), month: monthLabel(statement.period) };

  const next = async () => {
    const values = await form.validateFields();
    const comment = values.comment?.trim() ?? "";
    const disputed = values.decision === "disputed";
    modal.confirm({
      title: t(disputed ? "settlement.decide.disputeTitle" : "settlement.decide.confirmTitle", names),
      content: disputed
        ? t("settlement.decide.disputeText", { comment })
        : t("settlement.decide.confirmText", { net: moneyText(statement.net_fen), receivable: moneyText(statement.receivable_fen), payable: moneyText(statement.payable_fen) }),
      okText: t(disputed ? "settlement.decide.dispute" : "settlement.decide.confirm"),
      okButtonProps: { danger: disputed },
      cancelText: t("buttons.cancel"),
      onOk: () =>
        decide.mutateAsync({ statement, decision: values.decision, comment }).then(
          () => {
            void message.success(t(disputed ? "settlement.decide.disputed" : "settlement.decide.confirmed"));
            onClose();
          },
          (error) => {
            void message.error(localizeRpcError(error, t));
          },
        ),
    });
  };

  return (
    <Modal open title={t("settlement.decide.title", names)} okText={t("settlement.decide.next")} cancelText={t("buttons.cancel")} onOk={() => void next().catch(() => undefined)} onCancel={onClose} destroyOnHidden>
      <Form form={form} layout="vertical" initialValues={{ decision: request.decision }}>
        <Form.Item name="decision" label={t("settlement.decide.decision")}>
          <Radio.Group
            optionType="button"
            options={[
              { value: "confirmed", label: t("settlement.decide.confirm") },
              { value: "disputed", label: t("settlement.decide.dispute") },
            ]}
          />
        </Form.Item>
        <Form.Item
          name="comment"
          label={t("settlement.decide.comment")}
          dependencies={["decision"]}
          rules={[
            ({ getFieldValue }) => ({
              validator: (_, value?: string) =>
                getFieldValue("decision") === "disputed" && !value?.trim() ? Promise.reject(new Error(t("settlement.decide.commentRequired"))) : Promise.resolve(),
            }),
            { max: SETTLEMENT_LIMITS.max_comment },
          ]}
        >
          <Input.TextArea rows={3} placeholder={t("settlement.decide.commentPlaceholder")} maxLength={SETTLEMENT_LIMITS.max_comment} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
