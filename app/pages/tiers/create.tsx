import { useTranslation } from "react-i18next";
import { BuiltInEntityForm } from "../../runtime/pages/built-in";

export function TierCreate() {
  const { t } = useTranslation();
  return <BuiltInEntityForm entity="tiers" action="create" title={t("tiers.titles.create")} />;
}
