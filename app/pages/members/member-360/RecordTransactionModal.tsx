import { Button, DatePicker, Form, Input, InputNumber, Modal, Select } from "antd";
import dayjs, { type Dayjs } from "dayjs";
import { useTranslation } from "react-i18next";
import { channelLabel, DEFAULT_RECORDING_CHANNEL, MAX_TRANSACTION_YUAN, TRANSACTION_CHANNELS } from "../../../../core/enums/index.ts";
import { usePostingUnitField } from "../../../access/use-posting-units";
import { RpcErrorAlert } from "../../../components/RpcErrorAlert";
import { useConfirmedCall } from "../../../components/useConfirmedCall";
import { useUnitName } from "../../../components/useUnitName";
import { type RecordTransactionResult, useRecordTransactionMutation } from "../../../data/transactions/record-transaction-mutation";
import { formatDateTime, formatMoney, nameOptions } from "../../../lib/format";
import type { Member } from "../../../lib/types";
import { RecordTransactionResultView } from "./RecordTransactionResult";

interface Values {
  business_unit_id: string;
  order_no: string;
  amount: number;
  channel: string;
  occurred_at: Dayjs;
}

/** 录入消费: form → confirmation → the points earned. */
export function RecordTransactionModal({ member, open, onClose }: { member: Member; open: boolean; onClose: () => void }) {
  const { t, i18n } = useTranslation();
  const [form] = Form.useForm<Values>();
  const units = usePostingUnitField(form, member.home_business_unit_id);
  const unitName = useUnitName();
  const record = useRecordTransactionMutation();
  const { error, result, confirm } = useConfirmedCall<RecordTransactionResult>();
  const f = (key: string) => t(`transactions.fields.${key}`);

  const next = async () => {
    const values = await form.validateFields().catch(() => null);
    if (!values) return;
    confirm({
      title: t("transactions.record.confirmTitle"),
      content: t("transactions.record.confirmContent", {
        name: member.name,
        memberNo: member.member_no,
        unit: unitName(values.business_unit_id),
        orderNo: values.order_no.trim(),
        amount: formatMoney(values.amount),
        occurredAt: formatDateTime(values.occurred_at.toISOString()),
      }),
      okText: t("transactions.record.confirmOk"),
      run: () =>
        record.mutateAsync({
          memberId: member.id,
          businessUnitId: values.business_unit_id,
          orderNo: values.order_no,
          amount: values.amount,
          channel: values.channel,
          occurredAt: values.occurred_at.toISOString(),
        }),
    });
  };

  const footer = result
    ? [<Button key="close" type="primary" onClick={onClose}>{t("common.close")}</Button>]
    : [
        <Button key="cancel" onClick={onClose}>{t("buttons.cancel")}</Button>,
        <Button key="next" type="primary" loading={record.isPending} onClick={() => void next()}>{t("transactions.record.submit")}</Button>,
      ];

  return (
    <Modal open={open} title={`${t("transactions.record.title")} · ${member.name}`} onCancel={onClose} footer={footer} destroyOnHidden>
      {result ? (
        <RecordTransactionResultView memberId={member.id} result={result} />
      ) : (
        <Form form={form} layout="vertical" initialValues={{ channel: DEFAULT_RECORDING_CHANNEL, occurred_at: dayjs() }}>
          <RpcErrorAlert message={error} />
          <Form.Item name="business_unit_id" label={f("business_unit")} rules={[{ required: true, message: t("transactions.record.unitRequired") }]}>
            <Select options={nameOptions(units, i18n.language)} />
          </Form.Item>
          <Form.Item name="order_no" label={f("order_no")} rules={[{ required: true, whitespace: true, max: 64, message: t("transactions.record.orderRequired") }]}>
            <Input maxLength={64} autoComplete="off" />
          </Form.Item>
          <Form.Item
            name="amount"
            label={f("amount")}
            rules={[
              { required: true, message: t("transactions.record.amountRequired") },
              { type: "number", min: 0.01, message: t("transactions.record.amountPositive") },
              { type: "number", max: MAX_TRANSACTION_YUAN, message: t("transactions.record.amountTooLarge", { max: formatMoney(MAX_TRANSACTION_YUAN) }) },
            ]}
          >
            {/* no min/max here: the input would silently clamp ¥0 to ¥0.01; the rules above refuse it instead */}
            <InputNumber precision={2} step={1} prefix="¥" style={{ width: "100%" }} />
          </Form.Item>
          <Form.Item name="channel" label={f("channel")} rules={[{ required: true }]}>
            <Select options={TRANSACTION_CHANNELS.map((channel) => ({ value: channel, label: t(channelLabel(channel)) }))} />
          </Form.Item>
          <Form.Item name="occurred_at" label={f("occurred_at")} rules={[{ required: true, message: t("transactions.record.occurredRequired") }]}>
            <DatePicker showTime={{ format: "HH:mm" }} format="YYYY-MM-DD HH:mm" disabledDate={(day) => day.isAfter(dayjs(), "day")} style={{ width: "100%" }} />
          </Form.Item>
        </Form>
      )}
    </Modal>
  );
}
