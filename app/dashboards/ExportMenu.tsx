import { DownloadOutlined } from "@ant-design/icons";
import { App, Button, Dropdown } from "antd";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { localizeRpcError } from "../lib/rpc-errors";
import type { ExportFormat } from "../data/dashboards/export";

/** A download button offering CSV and XLSX; `run` builds and hands over the file. */
export function ExportMenu({ run, disabled, label }: { run: (format: ExportFormat) => Promise<void>; disabled?: boolean; label?: string }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [busy, setBusy] = useState(false);
  const start = async (format: ExportFormat) => {
    setBusy(true);
    try {
      await run(format);
    } catch (error) {
      void message.error(localizeRpcError(error, t));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Dropdown
      disabled={disabled}
      trigger={["click"]}
      menu={{
        items: [
          { key: "csv", label: t("dashboards.export.csv") },
          { key: "xlsx", label: t("dashboards.export.xlsx") },
        ],
        onClick: ({ key }) => void start(key as ExportFormat),
      }}
    >
      <Button size="small" type="text" icon={<DownloadOutlined />} loading={busy} aria-label={label ?? t("dashboards.export.button")}>
        {label}
      </Button>
    </Dropdown>
  );
}
