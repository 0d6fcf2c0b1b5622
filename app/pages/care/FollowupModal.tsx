import { DatePicker, Form, Input, Modal, Select } from "antd";
import type { Dayjs } from "dayjs";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { FOLLOWUP_CHANNELS, FOLLOWUP_OUTCOMES, SEGMENT_LIMITS } from "../../../core/segments/limits.ts";
import { RpcErrorAlert } from "../../components/RpcErrorAlert";
import { useRecordFollowup } from "../../data/care";
import type { BusinessUnit } from "../../lib/types";
import { nameOptions } from "../../lib/format";
import { localizeRpcError } from "../../lib/rpc-errors";

interface Values {
  business_unit_id: string;
  channel: string;
  outcome: string;
  note: string;
  next_on: Dayjs | null;
}

/** Records a follow-up of a member for one of the user's units; it closes the member's open care task there. */
export function FollowupModal({ memberId, memberLabel, units, unitId, onClose }: {
  memberId: string;
  memberLabel: string;
  units: readonly BusinessUnit[];
  unitId?: string;
  onClose: (saved: boolean) => void;
}) {
  const { t, i18n } = useTranslation();
  const [form] = Form.useForm<Values>();
  const record = useRecordFollowup();
  const [error, setError] = useState<string | null>(null);

  const ok = async () => {
    const v = await form.validateFields().catch(() => null);
    if (!v) return;
    setError(null);
    try {
      await record.mutateAsync({
        memberId, businessUnitId: v.business_unit_id, channel: v.channel, outcome: v.outcome, note: v.note.trim(),
        nextOn: v.next_on ? v.next_on.format("YYYY-MM-DD") : null,
      });
      onClose(true);
    } catch (failure) {
      setError(localizeRpcError(failure, t));
    }
  };

  return (
    <Modal open title={t("care.followup.title", { member: memberLabel })} onCancel={() => onClose(false)} onOk={() => void ok()}
      okText={t("care.followup.save")} cancelText={t("buttons.cancel")} confirmLoading={record.isPending} destroyOnHidden>
      <RpcErrorAlert message={error} />
      <Form form={form} layout="vertical" initialValues={{ business_unit_id: unitId ?? (units.length === 1 ? units[0].id : undefined), channel: "phone" }}>
        <Form.Item name="business_unit_id" label={t("care.followup.unit")} rules={[{ required: true, message: t("care.followup.unitRequired") }]}>
          <Select options={nameOptions(units, i18n.language)} />
        </Form.Item>
        <Form.Item name="channel" label={t("care.followup.channel")} rules={[{ required: true, message: t("care.followup.channelRequired") }]}>
          <Select options={FOLLOWUP_CHANNELS.map((c) => ({ value: c, label: t(`care.channels.${c}`) }))} />
        </Form.Item>
        <Form.Item name="outcome" label={t("care.followup.outcome")} rules={[{ required: true, message: t("care.followup.outcomeRequired") }]}>
          <Select options={FOLLOWUP_OUTCOMES.map((o) => ({ value: o, label: t(`care.outcomes.${o}`) }))} />
        </Form.Item>
        <Form.Item name="note" label={t("care.followup.note")} rules={[{ required: true, whitespace: true, message: t("care.followup.noteRequired") }]}>
          <Input.TextArea rows={3} maxLength={SEGMENT_LIMITS.note_max_length} showCount />
        </Form.Item>
        <Form.Item name="next_on" label={t("care.followup.nextOn")}>
          <DatePicker style={{ width: "100%" }} disabledDate={(d) => d.isBefore(new Date(), "day")} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
