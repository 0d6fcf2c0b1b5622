import { useTranslation } from "react-i18next";
import { BuiltInEntityList } from "../../runtime/pages/built-in";

/** Members by their entity definition: the big search box of the lookup page, filters, export; a row opens the 360 page. */
export function MemberList() {
  const { t } = useTranslation();
  return (
    <BuiltInEntityList
      entity="members"
      title={t("members.titles.list")}
      search={{ size: "large", hint: t("members.searchHint") }}
      createLabel={t("members.titles.create")}
    />
  );
}
