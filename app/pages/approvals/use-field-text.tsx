import type { RJSFSchema } from "@rjsf/utils";
import { useTranslation } from "react-i18next";
import { FieldValue } from "../../runtime/format-value";
import type { FormDefinition } from "../../lib/types";

/** Labels and display values of a request's fields, from the form it was made with. */
export function useFieldText(form: FormDefinition | null | undefined) {
  const { t, i18n } = useTranslation();
  const properties = ((form?.schema as RJSFSchema | undefined)?.properties ?? {}) as Record<string, RJSFSchema & { title_en?: string }>;
  const ui = (form?.ui_schema ?? {}) as Record<string, unknown>;
  return {
    label: (key: string) => {
      const property = properties[key];
      if (!property) return t("approvals.fields.other");
      return (i18n.language.startsWith("en") && property.title_en) || property.title || t("approvals.fields.other");
    },
    value: (key: string, value: unknown) =>
      Array.isArray(value) && properties[key]?.type === "array" && key === "attachments"
        ? (value as string[]).map((href) => <div key={href}><a href={href} target="_blank" rel="noreferrer noopener">{href}</a></div>)
        : <FieldValue schema={properties[key]} fieldUi={ui[key]} value={value} language={i18n.language} t={t} />,
  };
}
