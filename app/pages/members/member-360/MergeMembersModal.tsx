import { useSelect } from "@refinedev/antd";
import { Button, Form, Modal, Result, Select, Typography } from "antd";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { RpcErrorAlert } from "../../../components/RpcErrorAlert";
import { useConfirmedCall } from "../../../components/useConfirmedCall";
import { type MergeMembersResult, useMergeMembersMutation } from "../../../data/members/merge-members-mutation";
import { localizeRpcError } from "../../../lib/rpc-errors";
import type { Member } from "../../../lib/types";
import { MergePreview } from "./MergePreview";

const label = (member: Pick<Member, "name" | "member_no" | "phone">) =>
  [member.name, member.member_no, member.phone].filter(Boolean).join(" · ");

/** 合并会员: pick the duplicate, preview what would move (p_confirm false), then confirm (p_confirm true). */
export function MergeMembersModal({ member, open, onClose }: { member: Member; open: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const [merged, setMerged] = useState<{ id: string; label: string } | null>(null);
  const [preview, setPreview] = useState<MergeMembersResult | null>(null);
  const [previewError, setPreviewError] = useState<string | null>(null);
  const merge = useMergeMembersMutation();
  const { error, result, confirm } = useConfirmedCall<MergeMembersResult>();
  const { selectProps } = useSelect<Member>({
    resource: "members",
    optionLabel: label,
    optionValue: "id",
    filters: [
      { field: "id", operator: "ne", value: member.id },
      { field: "merged_into", operator: "null", value: true },
    ],
    onSearch: (value) => {
      const term = value.trim();
      const fields = ["phone", "member_no"].map((field) => ({ field, operator: "contains" as const, value: term }));
      return term ? [{ operator: "or", value: fields }] : [];
    },
    pagination: { pageSize: 20 },
    debounce: 300,
  });
  const names = { survivor: label(member), merged: merged?.label ?? "" };

  const runPreview = async () => {
    if (!merged) return;
    setPreviewError(null);
    try {
      setPreview(await merge.mutateAsync({ survivorId: member.id, mergedId: merged.id, confirm: false }));
    } catch (failure) {
      setPreviewError(localizeRpcError(failure, t));
    }
  };

  const runMerge = () =>
    merged &&
    confirm({
      title: t("merge.confirmTitle"),
      content: t("merge.confirmContent", names),
      okText: t("merge.confirm"),
      danger: true,
      run: () => merge.mutateAsync({ survivorId: member.id, mergedId: merged.id, confirm: true }),
    });

  const footer = result
    ? [<Button key="close" type="primary" onClick={onClose}>{t("common.close")}</Button>]
    : [
        <Button key="cancel" onClick={onClose}>{t("buttons.cancel")}</Button>,
        <Button key="preview" disabled={!merged} loading={merge.isPending && !preview} onClick={() => void runPreview()}>{t("merge.preview")}</Button>,
        <Button key="merge" type="primary" danger disabled={!preview} onClick={runMerge}>{t("merge.confirm")}</Button>,
      ];

  return (
    <Modal open={open} title={t("merge.title")} onCancel={onClose} footer={footer} destroyOnHidden width={640}>
      {result ? (
        <Result status="success" title={t("merge.success", names)} />
      ) : (
        <>
          <Typography.Paragraph>{t("merge.intro", names)}</Typography.Paragraph>
          <RpcErrorAlert message={error ?? previewError} />
          <Form layout="vertical">
            <Form.Item label={t("merge.pick")} required>
              <Select<string, { label: string; value: string }>
                showSearch
                filterOption={false}
                options={selectProps.options as { label: string; value: string }[] | undefined}
                onSearch={selectProps.onSearch}
                loading={selectProps.loading}
                aria-label={t("merge.pick")}
                placeholder={t("merge.pickPlaceholder")}
                value={merged?.id}
                onChange={(value, option) => {
                  const picked = Array.isArray(option) ? option[0] : option;
                  setMerged(value ? { id: value, label: picked?.label ?? value } : null);
                  setPreview(null);
                }}
              />
            </Form.Item>
          </Form>
          {preview && <MergePreview preview={preview} names={names} />}
        </>
      )}
    </Modal>
  );
}
