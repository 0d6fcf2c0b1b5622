import { Show } from "@refinedev/antd";
import { useCan } from "@refinedev/core";
import { App, Button, Card, Result, Space, Table, Tag, Typography } from "antd";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Link, useNavigate, useParams } from "react-router";
import { ruleKindLabel } from "../../../core/rule-kinds/index.ts";
import { RpcErrorAlert } from "../../components/RpcErrorAlert";
import { useUnitName } from "../../components/useUnitName";
import { useCreateDraft, useRuleVersions } from "../../data/rules/queries";
import type { Rule } from "../../data/rules/types";
import { formatDateTime, localizedDescription, localizedName } from "../../lib/format";
import { localizeRpcError } from "../../lib/rpc-errors";
import { RollbackButton } from "./RollbackButton";
import { RuleDiff } from "./RuleDiff";
import { RuleEditor } from "./RuleEditor";
import { ActiveWindow, RuleStatusTag } from "./StatusTag";
import { UnitRuleSetNotice } from "./UnitRuleSetNotice";
import { numberColumn, oneLineColumn } from "../../components/table-columns";

/** One rule key: its versions, and the selected version in the editor (drafts) or read-only. */
export function RuleShow() {
  const { t, i18n } = useTranslation();
  const { message } = App.useApp();
  const { key = "" } = useParams();
  const navigate = useNavigate();
  const unitName = useUnitName();
  const versions = useRuleVersions(key);
  const { data: canEdit } = useCan({ resource: "rules", action: "edit" });
  const [selectedId, setSelectedId] = useState<string | null>(null);
  const createDraft = useCreateDraft();
  const [error, setError] = useState<string | null>(null);
  const rows = versions.data ?? [];
  const selected = rows.find((r) => r.id === selectedId) ?? rows[0];
  const published = rows.find((r) => r.status === "published");
  const hasDraft = rows.some((r) => r.status === "draft");
  /** The version the page is titled by: the one in force, else the newest. */
  const headline = published ?? rows[0];

  if (versions.isSuccess && rows.length === 0) {
    return <Result status="404" title={t("rules.show.notFound", { key })} extra={<Link to="/rules">{t("rules.show.backToList")}</Link>} />;
  }

  /** The last version of a key gone: back to its kind's list instead of an empty page. */
  const onDeleted = (deleted: Rule) => {
    message.success(t("rules.editor.deleted", { version: deleted.version }));
    if (rows.length <= 1) navigate(`/rules?kind=${deleted.kind}`, { replace: true });
    else setSelectedId(null);
  };

  const newDraft = async (from: Rule) => {
    setError(null);
    try {
      const created = await createDraft.mutateAsync({ ...from, version: Math.max(...rows.map((r) => r.version)) + 1 });
      await versions.refetch();
      setSelectedId(created.id);
      message.success(t("rules.editor.newDraftCreated", { version: created.version }));
    } catch (failure) {
      setError(localizeRpcError(failure, t));
    }
  };

  return (
    <Show
      title={t("rules.titles.show", { name: headline ? localizedName(headline, i18n.language) : "" })}
      isLoading={versions.isLoading}
      headerButtons={
        canEdit?.can && selected ? (
          <Button onClick={() => newDraft(selected)} loading={createDraft.isPending}>
            {t("rules.editor.newDraft")}
          </Button>
        ) : null
      }
    >
      {selected && (
        <Space direction="vertical" size="large" style={{ width: "100%" }}>
          <RpcErrorAlert message={error} />
          <Card size="small" title={t("rules.editor.versions")}>
            <Typography.Paragraph type="secondary" style={{ marginBottom: 8 }}>
              <Tag>{t(ruleKindLabel(selected.kind))}</Tag>
              {selected.business_unit_id ? `${t("rules.fields.unit")} · ${unitName(selected.business_unit_id)}` : t("rules.fields.group")}
              {localizedDescription(selected, i18n.language) ? ` · ${localizedDescription(selected, i18n.language)}` : ""}
            </Typography.Paragraph>
            {selected.business_unit_id && (
              <div style={{ marginBottom: 12 }}>
                <UnitRuleSetNotice kind={selected.kind} unitId={selected.business_unit_id} />
              </div>
            )}
            <Table<Rule>
              size="small"
              rowKey="id"
              dataSource={rows}
              pagination={false}
              rowSelection={{ type: "radio", selectedRowKeys: [selected.id], onChange: (keys) => setSelectedId(String(keys[0])) }}
              onRow={(r) => ({ onClick: () => setSelectedId(r.id), style: { cursor: "pointer" } })}
            >
              <Table.Column<Rule> dataIndex="version" title={t("rules.fields.version")} {...oneLineColumn} render={(v: number) => `v${v}`} />
              <Table.Column<Rule> key="name" title={t("rules.fields.name")} render={(_, r) => localizedName(r, i18n.language)} />
              <Table.Column<Rule> dataIndex="status" title={t("rules.fields.status")} {...oneLineColumn} render={(s: Rule["status"]) => <RuleStatusTag status={s} />} />
              <Table.Column<Rule> dataIndex="priority" title={t("rules.fields.priority")} {...numberColumn} />
              <Table.Column<Rule> title={t("rules.fields.activeWindow")} {...oneLineColumn} render={(_, r) => <ActiveWindow from={r.active_from} to={r.active_to} />} />
              <Table.Column<Rule> dataIndex="published_at" title={t("rules.fields.publishedAt")} {...oneLineColumn} render={formatDateTime} />
              {canEdit?.can && !hasDraft && (
                <Table.Column<Rule> key="rollback" {...oneLineColumn} render={(_, r) =>
                  r.published_at && r.status !== "published" ? (
                    <RollbackButton from={r} onCreated={async (draft) => { await versions.refetch(); setSelectedId(draft.id); }} />
                  ) : null}
                />
              )}
            </Table>
          </Card>
          {selected.status === "draft" && <RuleDiff draft={selected} published={published} />}
          <RuleEditor key={selected.id} rule={selected} canEdit={!!canEdit?.can} onDeleted={() => onDeleted(selected)} />
        </Space>
      )}
    </Show>
  );
}
