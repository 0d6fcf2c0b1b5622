import { Space, Tag } from "antd";
import { useTranslation } from "react-i18next";
import type { RoleGrant } from "../access/my-access";
import { localizedName } from "../lib/format";
import type { BusinessUnit } from "../lib/types";
import { useLookup } from "./useLookup";

const COLORS: Record<string, string> = {
  admin: "red",
  director: "purple",
  manager: "blue",
  staff: "green",
  analyst: "gold",
};

/** "经理 · 酒店" style tags, one per role grant; group-wide grants carry no unit. */
export function RoleTags({ roles }: { roles: RoleGrant[] }) {
  const { t, i18n } = useTranslation();
  const units = useLookup<BusinessUnit>("business_units", "id", roles.some((grant) => grant.business_unit_id));
  const scope = (grant: RoleGrant) => {
    if (!grant.business_unit_id) return t("roles.groupWide");
    const unit = units.map.get(grant.business_unit_id);
    return unit ? localizedName(unit, i18n.language) : (grant.business_unit_name ?? grant.business_unit_code);
  };
  if (roles.length === 0) return <Tag>{t("roles.none")}</Tag>;
  return (
    <Space size={[4, 4]} wrap>
      {roles.map((grant) => (
        <Tag key={`${grant.role}-${grant.business_unit_id ?? "all"}`} color={COLORS[grant.role]}>
          {t(`roles.${grant.role}`)}
          {" · "}
          {scope(grant)}
        </Tag>
      ))}
    </Space>
  );
}
