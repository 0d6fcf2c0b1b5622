import { Create, useForm } from "@refinedev/antd";
import { useTranslation } from "react-i18next";
import type { BusinessUnit } from "../../lib/types";
import { BusinessUnitForm } from "./BusinessUnitForm";

export function BusinessUnitCreate() {
  const { t } = useTranslation();
  const { formProps, saveButtonProps } = useForm<BusinessUnit>({ resource: "business_units", redirect: "list" });
  return (
    <Create title={t("business_units.titles.create")} saveButtonProps={saveButtonProps}>
      <BusinessUnitForm formProps={formProps} />
    </Create>
  );
}
