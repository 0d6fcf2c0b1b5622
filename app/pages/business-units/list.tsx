import { useTranslation } from "react-i18next";
import { BuiltInEntityList } from "../../runtime/pages/built-in";

/** Business units by their entity definition (columns, search, filters, export). */
export function BusinessUnitList() {
  const { t } = useTranslation();
  return <BuiltInEntityList entity="business_units" title={t("business_units.titles.list")} createLabel={t("business_units.titles.create")} />;
}
