import { useTranslation } from "react-i18next";
import { BuiltInEntityForm } from "../../runtime/pages/built-in";

export function BusinessUnitCreate() {
  const { t } = useTranslation();
  return <BuiltInEntityForm entity="business_units" action="create" title={t("business_units.titles.create")} />;
}
