import { Show } from "@refinedev/antd";
import { useCan } from "@refinedev/core";
import { Alert, App as AntApp, Button, Card, Col, Form, Input, Result, Row, Space, Spin, Statistic, Table, Typography } from "antd";
import { useEffect, useMemo, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { Link, useParams } from "react-router";
import { conditionToQuery, queryToCondition, type ConditionQuery } from "../../../core/rule-builder/condition.ts";
import { isDeepStrictEqual } from "../../../core/rule-builder/deep-equal.ts";
import { builderFields } from "../../../core/rule-builder/fields.ts";
import { SEGMENT_FIELDS } from "../../../core/segments/fields.ts";
import { RpcErrorAlert } from "../../components/RpcErrorAlert";
import { usePublishSettings, useRequestPublish } from "../../data/definitions/publish-approval";
import {
  useAskPreview, useCreateSegmentDraft, usePublishSegment, useSaveSegmentDraft, useSegmentDefinitions, useSegmentPreview,
  useSegmentRefreshes, type SegmentDefinition,
} from "../../data/segments";
import { formatCount, formatDateTime, localizedName } from "../../lib/format";
import { localizeRpcError } from "../../lib/rpc-errors";
import { RuleStatusTag } from "../rules/StatusTag";
import { ConditionEditor } from "../rules/visual/ConditionEditor";
import { queryFields } from "../rules/visual/queryFields";
import { useValueLists } from "../rules/visual/useValueLists";

const EMPTY: ConditionQuery = { combinator: "and", rules: [] };
const FIELDS = builderFields(SEGMENT_FIELDS);
/** Wait this long after the last change before counting. */
const PREVIEW_DELAY_MS = 600;

/** The query a stored condition reads as, when the editor gives back exactly that JSON; else null (shown as JSON). */
function representable(logic: unknown): ConditionQuery | null {
  if (logic === true) return EMPTY;
  const query = conditionToQuery(logic, FIELDS);
  return query && isDeepStrictEqual(queryToCondition(query, FIELDS), logic) ? query : null;
}

/** One segment: its condition in the visual editor with a live count and sample, saving, publishing, versions. */
export function SegmentShow() {
  const { key = "" } = useParams();
  const { t } = useTranslation();
  const { rows, query } = useSegmentDefinitions(key);
  if (query.isLoading) return <Spin />;
  if (!rows.length) return <Result status="404" title={t("segments.notFound")} extra={<Link to="/segments">{t("segments.backToList")}</Link>} />;
  return <SegmentEditor key={`${rows[0].id}`} versions={rows} />;
}

function SegmentEditor({ versions }: { versions: SegmentDefinition[] }) {
  const { t, i18n } = useTranslation();
  const { message } = AntApp.useApp();
  const newest = versions[0];
  const published = versions.find((v) => v.status === "published");
  const { data: canEdit } = useCan({ resource: "segments", action: "edit" });
  const editable = !!canEdit?.can && newest.status === "draft";
  const lists = useValueLists();
  const qFields = useMemo(() => queryFields(FIELDS, lists, t), [lists, t]);

  const [name, setName] = useState(newest.name);
  const [description, setDescription] = useState(newest.description ?? "");
  const [queryState, setQueryState] = useState<ConditionQuery | null>(() => representable(newest.logic));
  const [logic, setLogic] = useState<unknown>(newest.logic);
  const [error, setError] = useState<string | null>(null);
  const dirty = name !== newest.name || description !== (newest.description ?? "") || !isDeepStrictEqual(logic, newest.logic);

  const save = useSaveSegmentDraft();
  const createDraft = useCreateSegmentDraft();
  const publish = usePublishSegment();
  const settings = usePublishSettings();
  const viaApproval = !!settings.data?.find((row) => row.kind === "segment")?.needs_approval;
  const requestPublish = useRequestPublish("segment", newest.key);
  const refreshes = useSegmentRefreshes(!!published);
  const refresh = refreshes.rows.find((r) => r.segment_key === newest.key);

  // Live count: the engine counts the condition a moment after the last change.
  const ask = useAskPreview();
  const [previewId, setPreviewId] = useState<string | null>(null);
  const [previewError, setPreviewError] = useState<string | null>(null);
  const latest = useRef(0);
  useEffect(() => {
    if (!editable) return;
    const ticket = ++latest.current;
    const timer = setTimeout(() => {
      ask(logic).then((id) => {
        if (ticket === latest.current) {
          setPreviewId(id);
          setPreviewError(null);
        }
      }, (failure: unknown) => ticket === latest.current && setPreviewError(localizeRpcError(failure, t)));
    }, PREVIEW_DELAY_MS);
    return () => clearTimeout(timer);
    // eslint-disable-next-line react-hooks/exhaustive-deps -- counted again only when the condition changes
  }, [JSON.stringify(logic), editable]);
  const { preview, sample } = useSegmentPreview(previewId);

  const run = async (body: () => Promise<unknown>, done: string) => {
    setError(null);
    try {
      await body();
      message.success(done);
    } catch (failure) {
      setError(localizeRpcError(failure, t));
    }
  };
  const saveDraft = () => save.mutateAsync({ id: newest.id, changes: { name: name.trim(), description: description.trim() || null, logic } });
  const onSave = () => run(saveDraft, t("segments.editor.saved"));
  const onPublish = () =>
    run(async () => {
      if (dirty) await saveDraft();
      if (viaApproval) {
        await requestPublish.mutateAsync({ version: newest.version, idempotencyKey: `publish:${newest.key}:${newest.version}:${crypto.randomUUID()}` });
      } else {
        await publish.mutateAsync({ key: newest.key, version: newest.version });
      }
    }, t(viaApproval ? "segments.editor.submitted" : "segments.editor.published"));
  const onNewDraft = () =>
    run(() => createDraft.mutateAsync({
      key: newest.key, version: newest.version + 1, name: newest.name, name_en: newest.name_en, description: newest.description, logic: newest.logic,
    }), t("segments.editor.draftCreated"));

  return (
    <Show title={localizedName(newest, i18n.language)} headerButtons={
      <Space wrap>
        <RuleStatusTag status={newest.status} />
        <Typography.Text>v{newest.version}</Typography.Text>
        {editable && <Button onClick={() => void onSave()} loading={save.isPending} disabled={!dirty}>{t("segments.editor.save")}</Button>}
        {editable && (
          <Button type="primary" onClick={() => void onPublish()} loading={publish.isPending || requestPublish.isPending}>
            {t(viaApproval ? "segments.editor.submit" : "segments.editor.publish")}
          </Button>
        )}
        {canEdit?.can && newest.status !== "draft" && <Button onClick={() => void onNewDraft()}>{t("segments.editor.newDraft")}</Button>}
      </Space>
    }>
      <RpcErrorAlert message={error} />
      <Row gutter={[16, 16]}>
        <Col xs={24} xl={16}>
          <Card size="small" title={t("segments.editor.definition")}>
            <Form layout="vertical">
              <Form.Item label={t("segments.fieldsUi.name")} required>
                <Input value={name} maxLength={100} disabled={!editable} onChange={(e) => setName(e.target.value)} />
              </Form.Item>
              <Form.Item label={t("segments.fieldsUi.description")}>
                <Input.TextArea value={description} maxLength={2000} rows={2} disabled={!editable} onChange={(e) => setDescription(e.target.value)} />
              </Form.Item>
              <Form.Item label={t("segments.editor.condition")} extra={t("segments.editor.conditionHelp")}>
                {queryState ? (
                  <div data-testid="segment-condition">
                    <ConditionEditor query={queryState} fields={qFields} disabled={!editable} faultIds={new Set()}
                      onChange={(next) => {
                        setQueryState(next);
                        setLogic(queryToCondition(next, FIELDS));
                      }} />
                  </div>
                ) : (
                  <>
                    <Alert type="info" showIcon message={t("segments.editor.rawLogic")} />
                    <Input.TextArea className="mono" rows={6} value={JSON.stringify(logic, null, 2)} disabled />
                  </>
                )}
              </Form.Item>
            </Form>
          </Card>
        </Col>
        <Col xs={24} xl={8}>
          <Space direction="vertical" style={{ width: "100%" }}>
            {editable && (
              <Card size="small" title={t("segments.preview.title")} data-testid="segment-preview">
                <RpcErrorAlert message={previewError} />
                {!preview || preview.status === "queued" || preview.status === "running" ? (
                  <Spin tip={t("segments.preview.counting")}><div style={{ minHeight: 48 }} /></Spin>
                ) : preview.status === "failed" ? (
                  <Alert type="error" showIcon message={t("segments.preview.failed")} />
                ) : (
                  <>
                    <Statistic title={t("segments.preview.count")} value={preview.members ?? 0} formatter={(v) => formatCount(Number(v))} />
                    <Typography.Text type="secondary">{t("segments.preview.of", { total: formatCount(preview.evaluated ?? 0) })}</Typography.Text>
                    <Table size="small" rowKey="member_id" pagination={false} dataSource={sample} style={{ marginTop: 8 }}
                      locale={{ emptyText: t("segments.preview.noSample") }}
                      columns={[
                        { key: "no", title: t("segments.preview.memberNo"), render: (_, r) => <Link to={`/members/show/${r.member_id}`}>{r.member_no}</Link> },
                        { key: "name", title: t("segments.preview.name"), dataIndex: "name" },
                      ]} />
                  </>
                )}
              </Card>
            )}
            <Card size="small" title={t("segments.members.title")}>
              {published && refresh ? (
                <>
                  <Statistic title={t("segments.members.count", { version: refresh.segment_version })} value={refresh.members}
                    formatter={(v) => formatCount(Number(v))} />
                  <Typography.Text type="secondary">{t("segments.members.refreshedAt", { at: formatDateTime(refresh.refreshed_at) })}</Typography.Text>
                  {refresh.error && <Alert type="warning" showIcon style={{ marginTop: 8 }} message={t("segments.members.refreshFailed")} />}
                </>
              ) : (
                <Typography.Text type="secondary">{t(published ? "segments.members.pending" : "segments.members.unpublished")}</Typography.Text>
              )}
            </Card>
            <Card size="small" title={t("segments.editor.versions")}>
              <Table size="small" rowKey="id" pagination={false} dataSource={versions}
                columns={[
                  { key: "v", title: t("segments.fieldsUi.version"), render: (_, r: SegmentDefinition) => `v${r.version}` },
                  { key: "s", title: t("segments.fieldsUi.status"), render: (_, r: SegmentDefinition) => <RuleStatusTag status={r.status} /> },
                  { key: "p", title: t("segments.fieldsUi.publishedAt"), render: (_, r: SegmentDefinition) => formatDateTime(r.published_at) },
                ]} />
            </Card>
          </Space>
        </Col>
      </Row>
    </Show>
  );
}
