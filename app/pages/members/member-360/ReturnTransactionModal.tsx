import { Alert, Button, Form, Input, Modal, Result } from "antd";
import { useTranslation } from "react-i18next";
import { MAX_REASON_LENGTH } from "../../../../core/enums/index.ts";
import { RpcErrorAlert } from "../../../components/RpcErrorAlert";
import { useConfirmedCall } from "../../../components/useConfirmedCall";
import { useReturnTransaction, type ReturnResult } from "../../../data/members/privacy-mutations";
import { formatCount } from "../../../lib/format";
import type { Transaction } from "../../../lib/types";

/**
 * 退货: a purchase returned. Within its return window its pending points (待入账) are cancelled and the balance is
 * untouched; after it, the points it posted are reversed (what was spent stays spent). Asks once more.
 */
export function ReturnTransactionModal({ transaction, open, onClose }: { transaction: Transaction; open: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const [form] = Form.useForm<{ reason: string }>();
  const returned = useReturnTransaction();
  const { error, result, confirm } = useConfirmedCall<ReturnResult>();

  const submit = ({ reason }: { reason: string }) =>
    confirm({
      title: t("pending.return.confirmTitle"),
      content: t("pending.return.confirmContent", { order: transaction.order_no }),
      okText: t("pending.return.button"),
      danger: true,
      run: () => returned.mutateAsync({ transactionId: transaction.id, reason: reason.trim() }),
    });

  const footer = result
    ? [<Button key="close" type="primary" onClick={onClose}>{t("common.close")}</Button>]
    : [
        <Button key="cancel" onClick={onClose}>{t("buttons.cancel")}</Button>,
        <Button key="submit" type="primary" danger onClick={() => form.submit()}>{t("pending.return.button")}</Button>,
      ];

  return (
    <Modal open={open} title={t("pending.return.title", { order: transaction.order_no })} onCancel={onClose} footer={footer} destroyOnHidden>
      {result ? (
        <Result
          status="success"
          title={t("pending.return.done")}
          subTitle={t("pending.return.summary", {
            cancelled: formatCount(Number(result.cancelled_points)), reversed: formatCount(Number(result.reversed_points)),
          })}
        />
      ) : (
        <>
          <RpcErrorAlert message={error} />
          <Alert type="info" showIcon message={t("pending.return.effect")} style={{ marginBottom: 16 }} />
          <Form<{ reason: string }> form={form} layout="vertical" onFinish={submit} requiredMark>
            <Form.Item
              name="reason"
              label={t("privacy.reason")}
              rules={[{ required: true, whitespace: true, message: t("privacy.reasonRequired") }, { max: MAX_REASON_LENGTH }]}
            >
              <Input.TextArea rows={2} maxLength={MAX_REASON_LENGTH} showCount />
            </Form.Item>
          </Form>
        </>
      )}
    </Modal>
  );
}
