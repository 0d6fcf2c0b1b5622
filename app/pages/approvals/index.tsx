import { List } from "@refinedev/antd";
import { useTranslation } from "react-i18next";
import { ComingSoon } from "../../components/ComingSoon";

/** No approval workflow exists yet: say so instead of showing sample rows. */
export function ApprovalsPage() {
  const { t } = useTranslation();
  return (
    <List title={t("approvals.titles.list")} canCreate={false}>
      <ComingSoon title={t("approvals.empty")} hint={t("approvals.emptyHint")} />
    </List>
  );
}
