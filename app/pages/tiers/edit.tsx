import { useTranslation } from "react-i18next";
import { BuiltInEntityForm } from "../../runtime/pages/built-in";

/** Editing a tier changes who qualifies for it: the reason goes to the audit trail with the change. */
export function TierEdit() {
  const { t } = useTranslation();
  return <BuiltInEntityForm entity="tiers" action="edit" title={t("tiers.titles.edit")} askReason />;
}
