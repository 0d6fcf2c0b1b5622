import { List } from "@refinedev/antd";
import { Tabs } from "antd";
import { useTranslation } from "react-i18next";
import { useSearchParams } from "react-router";
import { ConsumptionReport } from "./ConsumptionReport";
import { ExpiredPointsReport } from "./ExpiredPointsReport";
import { LiabilityReport } from "./LiabilityReport";

const TABS = ["consumption", "expired", "liability"] as const;

/** The finance and consumption reports: purchases across units, expired points per month (write-off), liability at a date. */
export function ReportsPage() {
  const { t } = useTranslation();
  const [search, setSearch] = useSearchParams();
  const tab = TABS.find((key) => key === search.get("tab")) ?? "consumption";
  return (
    <List title={t("reports.title")} breadcrumb={false}>
      <Tabs
        activeKey={tab}
        onChange={(key) => setSearch({ tab: key }, { replace: true })}
        destroyOnHidden
        items={[
          { key: "consumption", label: t("reports.tabs.consumption"), children: <ConsumptionReport /> },
          { key: "expired", label: t("reports.tabs.expired"), children: <ExpiredPointsReport /> },
          { key: "liability", label: t("reports.tabs.liability"), children: <LiabilityReport /> },
        ]}
      />
    </List>
  );
}
