import { useTranslation } from "react-i18next";
import { BuiltInEntityList } from "../../runtime/pages/built-in";

/** The tier ladder by its entity definition, in rank order; admins create and edit tiers. */
export function TierList() {
  const { t } = useTranslation();
  return <BuiltInEntityList entity="tiers" title={t("tiers.titles.list")} createLabel={t("tiers.titles.create")} />;
}
