import { useTranslation } from "react-i18next";
import { BuiltInEntityList } from "../../runtime/pages/built-in";
import { TierOffers } from "./TierOffers";

/**
 * The tier ladder by its entity definition, in rank order (thresholds, review periods, upgrade gifts; admins
 * create and edit tiers), then the upgrade gifts and the paid memberships on sale (admins edit them).
 */
export function TierList() {
  const { t } = useTranslation();
  return (
    <>
      <BuiltInEntityList entity="tiers" title={t("tiers.titles.list")} createLabel={t("tiers.titles.create")} />
      <TierOffers />
    </>
  );
}
