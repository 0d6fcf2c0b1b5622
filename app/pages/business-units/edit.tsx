import { Edit, useForm } from "@refinedev/antd";
import { useTranslation } from "react-i18next";
import type { BusinessUnit } from "../../lib/types";
import { BusinessUnitForm } from "./BusinessUnitForm";

export function BusinessUnitEdit() {
  const { t } = useTranslation();
  const { formProps, saveButtonProps } = useForm<BusinessUnit>({ resource: "business_units", action: "edit", redirect: "list" });
  return (
    <Edit title={t("business_units.titles.edit")} saveButtonProps={saveButtonProps}>
      <BusinessUnitForm formProps={formProps} isEdit />
    </Edit>
  );
}
