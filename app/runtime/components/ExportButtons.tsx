import { DownloadOutlined } from "@ant-design/icons";
import type { CrudFilter, CrudSort } from "@refinedev/core";
import { App, Button, Space } from "antd";
import dayjs from "dayjs";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { recordExport } from "../../data/exports/record-export";
import { entityTitle, type EntityDefinition } from "../definitions";
import { downloadCsv, downloadXlsx, exportRows } from "../export";

/** CSV and XLSX of every row the current search, filters and sort select (not just this page); each export is audited. */
export function ExportButtons({ definition, filters, sorters }: { definition: EntityDefinition; filters: CrudFilter[]; sorters: CrudSort[] }) {
  const { t, i18n } = useTranslation();
  const { message } = App.useApp();
  const [busy, setBusy] = useState<"csv" | "xlsx" | null>(null);
  const run = async (kind: "csv" | "xlsx") => {
    setBusy(kind);
    try {
      const { header, rows } = await exportRows(definition, filters, sorters, i18n.language, t);
      await recordExport(definition.key, rows.length, kind, filters);
      const name = `${definition.key}-${dayjs().format("YYYYMMDD-HHmmss")}.${kind}`;
      if (kind === "csv") downloadCsv(name, header, rows);
      else await downloadXlsx(name, entityTitle(definition, i18n.language), header, rows);
    } catch (error) {
      void message.error((error as Error).message);
    } finally {
      setBusy(null);
    }
  };
  return (
    <Space>
      <Button icon={<DownloadOutlined />} loading={busy === "csv"} onClick={() => void run("csv")}>
        {t("builder.runtime.exportCsv")}
      </Button>
      <Button icon={<DownloadOutlined />} loading={busy === "xlsx"} onClick={() => void run("xlsx")}>
        {t("builder.runtime.exportXlsx")}
      </Button>
    </Space>
  );
}
