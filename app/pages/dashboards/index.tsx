import { List } from "@refinedev/antd";
import { useTranslation } from "react-i18next";
import { ComingSoon } from "../../components/ComingSoon";

/** Dashboards are not built yet: an honest empty state, no invented numbers. */
export function DashboardsPage() {
  const { t } = useTranslation();
  return (
    <List title={t("dashboards.titles.list")} canCreate={false}>
      <ComingSoon title={t("dashboards.empty")} hint={t("dashboards.emptyHint")} />
    </List>
  );
}
