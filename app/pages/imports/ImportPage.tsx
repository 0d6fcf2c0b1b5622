import { useTable } from "@refinedev/antd";
import { useGetIdentity, useList } from "@refinedev/core";
import { UploadOutlined } from "@ant-design/icons";
import { Alert, Button, Card, Descriptions, Progress, Select, Space, Table, Tag, Typography, Upload } from "antd";
import i18next from "i18next";
import { useEffect, useMemo, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { IMPORT_MAX_ROWS } from "../../../core/enums/index.ts";
import {
  autoMap,
  batches,
  IMPORT_SEND_ROWS,
  importTargets,
  mayImport,
  targetFields,
  unmappedRequired,
  type Cell,
  type Mapping,
  type PreparedRow,
  type RowError,
} from "../../../core/import/index.ts";
import { useLookup } from "../../components/useLookup";
import { callRpc } from "../../data/rpc";
import { formatDateTime, localizedName } from "../../lib/format";
import { localizeRpcError } from "../../lib/rpc-errors";
import type { BusinessUnit, FormDefinition } from "../../lib/types";
import type { Identity } from "../../providers/auth-provider";
import { queryClient } from "../../providers/query-client";
import { downloadCsv, downloadXlsx } from "../../runtime/export";
import { usePublishedEntities } from "../../runtime/definitions";
import type { WorkerReply, WorkerRequest } from "./import.worker";

interface ImportRow {
  id: string;
  target: string;
  file_name: string;
  dry_run: boolean;
  status: string;
  total_rows: number;
  inserted: number;
  updated: number;
  unchanged: number;
  submitted: number;
  failed: number;
  created_at: string;
}

interface BatchAnswer {
  inserted: number;
  updated: number;
  unchanged: number;
  submitted: number;
  failed: number;
  repeated: number;
  errors: { row: number; code: string; detail: Record<string, unknown> }[];
}

type Counts = Omit<BatchAnswer, "errors">;
const ZERO: Counts = { inserted: 0, updated: 0, unchanged: 0, submitted: 0, failed: 0, repeated: 0 };
const COUNT_KEYS = ["inserted", "updated", "unchanged", "submitted", "failed", "repeated"] as const;

interface Parsed {
  fileName: string;
  headers: string[];
  preview: Cell[][];
  total: number;
}

const cellText = (cell: Cell) => {
  if (cell === null || cell === undefined) return "";
  if (cell instanceof Date) return cell.toISOString().slice(0, 10);
  if (typeof cell === "object") return String((cell as { text?: unknown; result?: unknown }).text ?? (cell as { result?: unknown }).result ?? "");
  return String(cell);
};

/** The text of one row fault: a reason code of the server, or the schema keyword the check reported. */
function errorText(error: RowError, t: (key: string, values?: Record<string, unknown>) => string) {
  if (i18next.exists(`errors.reasons.${error.code}`)) return t(`errors.reasons.${error.code}`, error.params);
  if (i18next.exists(`imports.keywords.${error.code}`)) return t(`imports.keywords.${error.code}`, error.params);
  return t("imports.keywords.other");
}

/** 批量导入: pick a target and a file, map its columns, check every row, dry-run, then import in batches. */
export function ImportPage() {
  const { t, i18n } = useTranslation();
  const language = i18n.language;
  const { data: identity } = useGetIdentity<Identity | null>();
  const units = useLookup<BusinessUnit>("business_units");
  const entities = usePublishedEntities();
  const forms = useList<FormDefinition>({
    resource: "form_definitions",
    filters: [{ field: "status", operator: "eq", value: "published" }],
    pagination: { mode: "off" },
    meta: { select: "id,key,version,status,schema" },
  });
  const roles = useMemo(() => (identity?.roles ?? []).map((grant) => grant.role as string), [identity]);
  const targets = useMemo(
    () => importTargets((forms.result?.data ?? []) as never, entities as never).filter((target) => mayImport(target, roles)),
    [forms.result, entities, roles],
  );

  const [targetKey, setTargetKey] = useState<string>();
  const target = targets.find((t) => t.key === targetKey);
  const fields = useMemo(() => (target ? targetFields(target) : []), [target]);
  const [unitId, setUnitId] = useState<string>();
  const [keyField, setKeyField] = useState<string | null>(null);
  const [parsed, setParsed] = useState<Parsed | null>(null);
  const [mapping, setMapping] = useState<Mapping>({});
  const [phase, setPhase] = useState<{ name: "parse" | "check" | "send"; done: number; total: number } | null>(null);
  const [checked, setChecked] = useState<{ rows: PreparedRow[]; errors: RowError[] } | null>(null);
  const [serverErrors, setServerErrors] = useState<RowError[]>([]);
  const [result, setResult] = useState<{ dryRun: boolean; counts: Counts } | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const worker = useRef<Worker | null>(null);
  const history = useTable<ImportRow>({ resource: "imports", sorters: { initial: [{ field: "created_at", order: "desc" }] }, syncWithLocation: false });

  // Units where the user holds a role that creates the target's rows (group-wide roles: every unit).
  const unitOptions = useMemo(() => {
    if (!target?.needsUnit) return [];
    const grants = (identity?.roles ?? []).filter((grant) => grant.role === "admin" || (target.roles as readonly string[]).includes(grant.role));
    const groupWide = grants.some((grant) => !grant.business_unit_id);
    const scoped = new Set(grants.map((grant) => grant.business_unit_id));
    return units.rows.filter((unit) => unit.active && (groupWide || scoped.has(unit.id)))
      .map((unit) => ({ value: unit.id, label: localizedName(unit, language) }));
  }, [identity, target, units.rows, language]);
  // A user with one unit imports for it without choosing.
  const chosenUnit = unitId ?? (unitOptions.length === 1 ? unitOptions[0].value : undefined);

  useEffect(() => () => worker.current?.terminate(), []);

  const ask = (request: WorkerRequest, until: WorkerReply["type"]) =>
    new Promise<WorkerReply>((resolve) => {
      if (!worker.current) worker.current = new Worker(new URL("./import.worker.ts", import.meta.url), { type: "module" });
      worker.current.onmessage = (event: MessageEvent<WorkerReply>) => {
        const reply = event.data;
        if (reply.type === "progress") setPhase({ name: reply.phase, done: reply.done, total: reply.total });
        else if (reply.type === until || reply.type === "failed") resolve(reply);
      };
      worker.current.postMessage(request);
    });

  const resetFrom = (step: "file" | "check") => {
    if (step === "file") setParsed(null);
    setChecked(null);
    setServerErrors([]);
    setResult(null);
    setProblem(null);
  };

  const chooseTarget = (key: string) => {
    setTargetKey(key);
    const next = targets.find((t) => t.key === key);
    setKeyField(next?.defaultKeyField ?? null);
    setUnitId(undefined);
    resetFrom("check");
    if (parsed && next) setMapping(autoMap(parsed.headers, targetFields(next)));
  };

  const readFile = async (file: File) => {
    resetFrom("file");
    setBusy(true);
    setPhase({ name: "parse", done: 0, total: 1 });
    const reply = await ask({ type: "parse", file }, "parsed");
    setBusy(false);
    setPhase(null);
    if (reply.type === "failed") return setProblem(t(`imports.fileProblems.${reply.reason}`));
    if (reply.type !== "parsed") return;
    if (reply.total > IMPORT_MAX_ROWS) return setProblem(t("errors.reasons.import_too_many_rows", { max: IMPORT_MAX_ROWS }));
    setParsed({ fileName: file.name, headers: reply.headers, preview: reply.preview, total: reply.total });
    if (target) setMapping(autoMap(reply.headers, fields));
  };

  const defaults = useMemo(() => {
    // A transactions file without a unit column is for the import's unit.
    if (target?.kind === "transactions" && mapping.business_unit_code === undefined && chosenUnit) {
      return { business_unit_code: units.map.get(chosenUnit)?.code };
    }
    return {};
  }, [target, mapping, chosenUnit, units.map]);

  const check = async () => {
    if (!target) return;
    resetFrom("check");
    setBusy(true);
    const reply = await ask({ type: "check", target, mapping, defaults }, "checked");
    setBusy(false);
    setPhase(null);
    if (reply.type === "checked") setChecked({ rows: reply.rows, errors: reply.errors });
  };

  const send = async (dryRun: boolean) => {
    if (!target || !parsed || !checked) return;
    setBusy(true);
    setProblem(null);
    setServerErrors([]);
    setResult(null);
    const counts: Counts = { ...ZERO };
    const found: RowError[] = [];
    try {
      const created = await callRpc<{ id: string }>("create_import", {
        p_target: target.key, p_business_unit_id: target.needsUnit ? chosenUnit ?? null : null, p_file_name: parsed.fileName,
        p_total_rows: parsed.total, p_key_field: keyField, p_dry_run: dryRun, p_idempotency_key: crypto.randomUUID(),
      });
      const queue = batches(checked.rows, IMPORT_SEND_ROWS);
      let done = 0;
      setPhase({ name: "send", done, total: checked.rows.length });
      for (const batch of queue) {
        const answer = await callRpc<BatchAnswer>("import_batch", { p_import_id: created.id, p_rows: batch });
        for (const k of COUNT_KEYS) counts[k] += answer[k];
        for (const error of answer.errors) found.push({ row: error.row, field: null, code: error.code, params: error.detail ?? {} });
        done += batch.length;
        setPhase({ name: "send", done, total: checked.rows.length });
        setResult({ dryRun, counts: { ...counts } });
      }
      await callRpc("finish_import", { p_import_id: created.id });
      setResult({ dryRun, counts });
      setServerErrors(found);
    } catch (error) {
      setProblem(localizeRpcError(error, t));
    } finally {
      setBusy(false);
      void queryClient.invalidateQueries({ queryKey: ["default", "imports"] });
      history.tableQuery.refetch();
    }
  };

  const targetLabel = (key: string) => {
    const found = targets.find((t) => t.key === key);
    if (found?.labelKey) return t(found.labelKey);
    if (found) return (language === "en" && found.title_en) || found.title || "";
    return key.startsWith("entity:") ? t("imports.targets.entity") : t(`imports.targets.${key}`);
  };
  const fieldLabel = (key: string | null) => {
    if (!key) return "";
    const field = fields.find((f) => f.key === key);
    return field ? (language === "en" ? field.title_en : field.title) : key;
  };

  const allErrors = useMemo(() => [...(checked?.errors ?? []), ...serverErrors].sort((a, b) => a.row - b.row), [checked, serverErrors]);
  const errorRows = () => allErrors.map((error) => ({
    row: String(error.row), field: fieldLabel(error.field), problem: errorText(error, t),
  }));
  const errorColumns = () => [
    { key: "row", header: t("imports.columns.row") },
    { key: "field", header: t("imports.columns.field") },
    { key: "problem", header: t("imports.columns.problem") },
  ];
  const missing = target ? unmappedRequired(fields, mapping).filter((key) => !(key in defaults)) : [];
  const percent = phase && phase.total > 0 ? Math.min(100, Math.round((phase.done / phase.total) * 100)) : 0;

  return (
    <Space direction="vertical" size="middle" style={{ width: "100%" }}>
      <Typography.Title level={4} style={{ margin: 0 }}>{t("imports.title")}</Typography.Title>
      <Typography.Text type="secondary">{t("imports.intro")}</Typography.Text>
      <Card title={t("imports.steps.source")} size="small">
        <Space wrap>
          <Select
            style={{ minWidth: 220 }}
            placeholder={t("imports.pickTarget")}
            value={targetKey}
            onChange={chooseTarget}
            options={targets.map((t) => ({ value: t.key, label: targetLabel(t.key) }))}
            data-testid="import-target"
          />
          {target?.needsUnit && (
            <Select style={{ minWidth: 200 }} placeholder={t("imports.pickUnit")} value={chosenUnit} onChange={setUnitId} options={unitOptions} data-testid="import-unit" />
          )}
          <Upload accept=".csv,.xlsx" showUploadList={false} beforeUpload={(file) => { void readFile(file); return false; }} disabled={busy}>
            <Button icon={<UploadOutlined />} disabled={busy}>{t("imports.pickFile")}</Button>
          </Upload>
          {parsed && <Typography.Text>{t("imports.fileSummary", { name: parsed.fileName, rows: parsed.total })}</Typography.Text>}
        </Space>
      </Card>

      {problem && <Alert type="error" showIcon message={problem} />}
      {phase && (
        <Card size="small">
          <Typography.Text>{t(`imports.phases.${phase.name}`)}</Typography.Text>
          <Progress percent={percent} status={busy ? "active" : "normal"} data-testid="import-progress" />
        </Card>
      )}

      {parsed && (
        <Card title={t("imports.steps.preview")} size="small">
          <Table
            size="small"
            pagination={false}
            scroll={{ x: true }}
            rowKey="__row"
            dataSource={parsed.preview.map((line, row) => ({ __row: row, ...Object.fromEntries(parsed.headers.map((_, i) => [String(i), cellText(line[i])])) }))}
            columns={parsed.headers.map((header, i) => ({ title: header || t("imports.columnNo", { n: i + 1 }), dataIndex: String(i), key: String(i) }))}
          />
        </Card>
      )}

      {parsed && target && (
        <Card title={t("imports.steps.mapping")} size="small">
          <Table
            size="small"
            pagination={false}
            rowKey="key"
            dataSource={fields}
            columns={[
              {
                title: t("imports.columns.targetField"), key: "field",
                render: (_, field) => (
                  <Space>
                    {language === "en" ? field.title_en : field.title}
                    {field.required && <Tag color="red">{t("imports.required")}</Tag>}
                  </Space>
                ),
              },
              {
                title: t("imports.columns.fileColumn"), key: "column",
                render: (_, field) => (
                  <Select
                    style={{ minWidth: 200 }}
                    allowClear
                    placeholder={field.key in defaults ? t("imports.fromUnit") : t("imports.notMapped")}
                    value={mapping[field.key]}
                    onChange={(value) => { setMapping({ ...mapping, [field.key]: value }); resetFrom("check"); }}
                    options={parsed.headers.map((header, i) => ({ value: i, label: header || t("imports.columnNo", { n: i + 1 }) }))}
                  />
                ),
              },
            ]}
          />
          <Space style={{ marginTop: 12 }} wrap>
            {target.keyFields.length > 0 && (
              <>
                <Typography.Text>{t("imports.keyField")}</Typography.Text>
                <Select
                  style={{ minWidth: 180 }}
                  value={keyField ?? ""}
                  onChange={(value) => { setKeyField(value || null); resetFrom("check"); }}
                  options={[
                    ...(target.defaultKeyField ? [] : [{ value: "", label: t("imports.noKey") }]),
                    ...target.keyFields.map((key) => ({ value: key, label: fieldLabel(key) })),
                  ]}
                />
              </>
            )}
            {missing.length > 0 && <Alert type="warning" showIcon message={t("imports.missingRequired", { fields: missing.map(fieldLabel).join("、") })} />}
            <Button type="primary" onClick={check} disabled={busy || missing.length > 0 || (target.needsUnit && !chosenUnit)}>{t("imports.check")}</Button>
          </Space>
        </Card>
      )}

      {checked && target && (
        <Card title={t("imports.steps.result")} size="small">
          <Space direction="vertical" style={{ width: "100%" }}>
            <Typography.Text data-testid="import-check-summary">
              {t("imports.checkSummary", { valid: checked.rows.length, invalid: new Set(checked.errors.map((e) => e.row)).size })}
            </Typography.Text>
            {result && (
              <Descriptions size="small" bordered column={6} title={result.dryRun ? t("imports.dryRunResult") : t("imports.importResult")} data-testid="import-result">
                {COUNT_KEYS.map((k) => <Descriptions.Item key={k} label={t(`imports.counts.${k}`)}>{result.counts[k]}</Descriptions.Item>)}
              </Descriptions>
            )}
            <Space wrap>
              <Button onClick={() => send(true)} disabled={busy || checked.rows.length === 0}>{t("imports.dryRun")}</Button>
              <Button type="primary" onClick={() => send(false)} disabled={busy || checked.rows.length === 0} data-testid="import-commit">{t("imports.commit")}</Button>
              {allErrors.length > 0 && (
                <>
                  <Button onClick={() => downloadCsv(`${t("imports.errorFile")}.csv`, errorColumns(), errorRows())}>{t("imports.downloadCsv")}</Button>
                  <Button onClick={() => void downloadXlsx(`${t("imports.errorFile")}.xlsx`, t("imports.errorFile"), errorColumns(), errorRows())}>{t("imports.downloadXlsx")}</Button>
                </>
              )}
            </Space>
            {allErrors.length > 0 && (
              <Table
                size="small"
                rowKey={(error) => `${error.row}:${error.field}:${error.code}`}
                dataSource={allErrors.slice(0, 1000)}
                pagination={{ pageSize: 10 }}
                columns={[
                  { title: t("imports.columns.row"), dataIndex: "row", key: "row", width: 90 },
                  { title: t("imports.columns.field"), key: "field", render: (_, error) => fieldLabel(error.field) },
                  { title: t("imports.columns.problem"), key: "problem", render: (_, error) => errorText(error, t) },
                ]}
              />
            )}
          </Space>
        </Card>
      )}

      <Card title={t("imports.history")} size="small">
        <Table
          {...history.tableProps}
          size="small"
          rowKey="id"
          columns={[
            { title: t("imports.columns.createdAt"), dataIndex: "created_at", key: "created_at", render: (v: string) => formatDateTime(v) },
            { title: t("imports.columns.target"), dataIndex: "target", key: "target", render: (v: string) => targetLabel(v) },
            { title: t("imports.columns.file"), dataIndex: "file_name", key: "file_name" },
            {
              title: t("imports.columns.status"), key: "status",
              render: (_, row) => (
                <Space>
                  <Tag>{t(`imports.statuses.${row.status}`)}</Tag>
                  {row.dry_run && <Tag color="blue">{t("imports.dryRunTag")}</Tag>}
                </Space>
              ),
            },
            { title: t("imports.columns.rows"), dataIndex: "total_rows", key: "total_rows" },
            ...COUNT_KEYS.filter((k) => k !== "repeated").map((k) => ({ title: t(`imports.counts.${k}`), dataIndex: k, key: k })),
          ]}
        />
      </Card>
    </Space>
  );
}
