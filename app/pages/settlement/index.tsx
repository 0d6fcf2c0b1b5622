import { List } from "@refinedev/antd";
import { Tabs } from "antd";
import { useTranslation } from "react-i18next";
import { useSearchParams } from "react-router";
import { CloseTab } from "./CloseTab";
import { MatrixTab, UnitReportTab } from "./ReportTabs";
import { StatementsTab } from "./StatementsTab";
import { lastEndedMonth, useFinanceScope } from "./shared";

const TABS = ["statements", "close", "report", "matrix"] as const;
const PERIOD = /^\d{4}-(0[1-9]|1[0-2])-01$/;

/**
 * 结算: settlement between business units for finance (read-only for directors): statements with confirm and
 * dispute, their entries, month close, a unit's report and the group matrix. Tab and month are kept in the address.
 */
export function SettlementPage() {
  const { t } = useTranslation();
  const scope = useFinanceScope();
  const [search, setSearch] = useSearchParams();
  const tab = TABS.find((key) => key === search.get("tab")) ?? "statements";
  const asked = search.get("period");
  const period = asked && PERIOD.test(asked) ? asked : lastEndedMonth();
  const setPeriod = (next: string) => setSearch({ tab, period: next }, { replace: true });
  const tabs = TABS.filter((key) => key !== "matrix" || !scope.scoped);
  const children = {
    statements: <StatementsTab period={period} setPeriod={setPeriod} />,
    close: <CloseTab />,
    report: <UnitReportTab period={period} setPeriod={setPeriod} />,
    matrix: <MatrixTab period={period} setPeriod={setPeriod} />,
  };
  return (
    <List title={t("settlement.title")} breadcrumb={false}>
      <Tabs
        activeKey={tab}
        onChange={(key) => setSearch({ tab: key, period }, { replace: true })}
        destroyOnHidden
        items={tabs.map((key) => ({ key, label: t(`settlement.tabs.${key}`), children: children[key] }))}
      />
    </List>
  );
}
