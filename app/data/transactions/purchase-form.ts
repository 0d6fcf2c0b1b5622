import type { RJSFSchema } from "@rjsf/utils";
import type { UiSchema } from "../../forms/layout";
import type { BusinessUnit, FormDefinition } from "../../lib/types";

/** What the published transaction form ('transaction') collects. */
export interface PurchaseValues {
  member_phone?: string;
  business_unit_code?: string;
  order_no?: string;
  amount?: number;
  channel?: string;
  occurred_at?: string;
}

/**
 * The transaction form as the purchase dialog of one member shows it: the member's phone filled in
 * and fixed, and the business unit chosen among the units where the user may post (by name, stored
 * by code). Every limit stays the form's own.
 */
export function purchaseForm(form: Pick<FormDefinition, "schema" | "ui_schema">, units: readonly BusinessUnit[]): { schema: RJSFSchema; uiSchema: UiSchema } {
  const properties = { ...((form.schema.properties ?? {}) as Record<string, RJSFSchema>) };
  const ui: UiSchema = { ...form.ui_schema };
  if (properties.business_unit_code) {
    properties.business_unit_code = { ...properties.business_unit_code, enum: units.map((unit) => unit.code) };
    const fieldUi = (ui.business_unit_code ?? {}) as Record<string, unknown>;
    ui.business_unit_code = {
      ...fieldUi,
      "ui:enumNames": units.map((unit) => unit.name),
      "ui:options": { ...((fieldUi["ui:options"] as object) ?? {}), enumNames_en: units.map((unit) => unit.name_en || unit.name) },
    };
  }
  if (properties.member_phone) ui.member_phone = { ...((ui.member_phone as object) ?? {}), "ui:readonly": true };
  return { schema: { ...form.schema, properties }, uiSchema: ui };
}
