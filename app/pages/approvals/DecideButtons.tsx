import { App, Button, Input, Modal, Space } from "antd";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { MAX_REASON_LENGTH } from "../../../core/enums/index.ts";
import { useDecideTask } from "../../data/approvals/mutations";
import { localizeRpcError } from "../../lib/rpc-errors";
import { approvalActionView } from "./actions";

/** 通过 / 驳回 one task: a comment is optional to approve and required to reject. */
export function DecideButtons({ taskId, onDone }: { taskId: string; onDone?: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const decide = useDecideTask();
  const [mode, setMode] = useState<"approve" | "reject" | null>(null);
  const [comment, setComment] = useState("");
  const rejectWithoutComment = mode === "reject" && !comment.trim();

  const submit = async () => {
    if (!mode || rejectWithoutComment) return;
    try {
      const request = await decide.mutateAsync({ taskId, decision: mode, comment: comment.trim() || undefined });
      const approvedMessage = approvalActionView(request.action).approvedMessage;
      message.success(t(approvedMessage && request.status === "approved" ? approvedMessage : `approvals.decided.${request.status}`));
      setMode(null);
      setComment("");
      onDone?.();
    } catch (error) {
      message.error(localizeRpcError(error, t));
    }
  };

  return (
    <>
      <Space>
        <Button type="primary" size="small" onClick={() => setMode("approve")}>{t("approvals.actions.approve")}</Button>
        <Button danger size="small" onClick={() => setMode("reject")}>{t("approvals.actions.reject")}</Button>
      </Space>
      <Modal
        open={mode !== null}
        title={t(mode === "reject" ? "approvals.actions.rejectTitle" : "approvals.actions.approveTitle")}
        okText={t(mode === "reject" ? "approvals.actions.reject" : "approvals.actions.approve")}
        okButtonProps={{ danger: mode === "reject", disabled: rejectWithoutComment, loading: decide.isPending }}
        cancelText={t("buttons.cancel")}
        onOk={submit}
        onCancel={() => setMode(null)}
        destroyOnHidden
      >
        <Input.TextArea
          aria-label={t("approvals.fields.comment")}
          placeholder={t(mode === "reject" ? "approvals.actions.rejectPlaceholder" : "approvals.actions.commentPlaceholder")}
          maxLength={MAX_REASON_LENGTH}
          rows={3}
          value={comment}
          onChange={(event) => setComment(event.target.value)}
        />
      </Modal>
    </>
  );
}
