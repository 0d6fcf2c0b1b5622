import { useTranslation } from "react-i18next";
import { BuiltInEntityForm } from "../../runtime/pages/built-in";

/** Editing master data asks why; the reason goes to the audit trail with the change. */
export function BusinessUnitEdit() {
  const { t } = useTranslation();
  return <BuiltInEntityForm entity="business_units" action="edit" title={t("business_units.titles.edit")} askReason />;
}
