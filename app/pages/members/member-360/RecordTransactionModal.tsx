import { Button, Modal, Result, Spin } from "antd";
import dayjs from "dayjs";
import { useMemo, useState } from "react";
import { useTranslation } from "react-i18next";
import { usePostingUnits } from "../../../access/use-posting-units";
import { RpcErrorAlert } from "../../../components/RpcErrorAlert";
import { useConfirmedCall } from "../../../components/useConfirmedCall";
import { usePublishedForm } from "../../../data/forms/use-published-form";
import { purchaseForm, type PurchaseValues } from "../../../data/transactions/purchase-form";
import { type RecordTransactionResult, useRecordTransactionMutation } from "../../../data/transactions/record-transaction-mutation";
import { SchemaForm } from "../../../forms/SchemaForm";
import { formatDateTime, formatMoney, localizedName } from "../../../lib/format";
import type { Member } from "../../../lib/types";
import { RecordTransactionResultView } from "./RecordTransactionResult";

const FORM_ID = "record-transaction-form";

/** 录入消费: the published transaction form → confirmation → the points earned. */
export function RecordTransactionModal({ member, open, onClose }: { member: Member; open: boolean; onClose: () => void }) {
  const { t, i18n } = useTranslation();
  const form = usePublishedForm("transaction");
  const { units, defaultId, loading } = usePostingUnits(member.home_business_unit_id);
  const record = useRecordTransactionMutation();
  const { error, result, confirm } = useConfirmedCall<RecordTransactionResult>();
  const [openedAt] = useState(() => dayjs().second(0).millisecond(0).toISOString());
  const [draft, setDraft] = useState<PurchaseValues>({});
  const shown = useMemo(() => (form && units.length ? purchaseForm(form, units) : null), [form, units]);
  const defaults: PurchaseValues = {
    member_phone: member.phone ?? undefined,
    business_unit_code: units.find((unit) => unit.id === defaultId)?.code,
    channel: "front_desk",
    occurred_at: openedAt,
  };
  const formData = { ...defaults, ...draft };

  const next = (values: PurchaseValues) => {
    const unit = units.find((u) => u.code === values.business_unit_code);
    if (!unit || !values.order_no || values.amount === undefined || !values.occurred_at || !values.channel) return;
    const purchase = { orderNo: values.order_no, amount: values.amount, channel: values.channel, occurredAt: dayjs(values.occurred_at).toISOString() };
    confirm({
      title: t("transactions.record.confirmTitle"),
      content: t("transactions.record.confirmContent", {
        name: member.name,
        memberNo: member.member_no,
        unit: localizedName(unit, i18n.language),
        orderNo: purchase.orderNo.trim(),
        amount: formatMoney(purchase.amount),
        occurredAt: formatDateTime(purchase.occurredAt),
      }),
      okText: t("transactions.record.confirmOk"),
      run: () => record.mutateAsync({ memberId: member.id, businessUnitId: unit.id, ...purchase }),
    });
  };

  const footer = result
    ? [<Button key="close" type="primary" onClick={onClose}>{t("common.close")}</Button>]
    : [
        <Button key="cancel" onClick={onClose}>{t("buttons.cancel")}</Button>,
        <Button key="next" type="primary" htmlType="submit" form={FORM_ID} disabled={!shown} loading={record.isPending}>{t("transactions.record.submit")}</Button>,
      ];

  const body = () => {
    if (result) return <RecordTransactionResultView memberId={member.id} result={result} />;
    if (form === null) return <Result status="warning" subTitle={t("transactions.record.noForm")} />;
    if (!loading && form && !units.length) return <Result status="warning" subTitle={t("transactions.record.noUnit")} />;
    if (!shown) return <Spin />;
    return (
      <>
        <RpcErrorAlert message={error} />
        <SchemaForm
          id={FORM_ID}
          schema={shown.schema}
          uiSchema={shown.uiSchema}
          formData={formData as Record<string, unknown>}
          onChange={(data) => setDraft(data as PurchaseValues)}
          onSubmit={(data) => next(data as PurchaseValues)}
        />
      </>
    );
  };

  return (
    <Modal open={open} title={`${t("transactions.record.title")} · ${member.name}`} onCancel={onClose} footer={footer} destroyOnHidden>
      {body()}
    </Modal>
  );
}
