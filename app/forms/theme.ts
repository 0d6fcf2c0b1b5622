import { withTheme, type ThemeProps } from "@rjsf/core";
import { Theme as AntdTheme } from "@rjsf/antd";
import type { RegistryWidgetsType } from "@rjsf/utils";
import { ObjectFieldTemplate } from "./templates/ObjectFieldTemplate";

/**
 * Our widgets, found in ./widgets/ (every export named *Widget): a uiSchema names them
 * (`"ui:widget": "MoneyWidget"`) and never imports them. The field types (core/field-types) name exactly
 * these widgets.
 */
export const WIDGETS: RegistryWidgetsType = Object.fromEntries(
  Object.values(import.meta.glob<Record<string, unknown>>("./widgets/*.tsx", { eager: true })).flatMap((exports) =>
    Object.entries(exports).filter(([name, value]) => name.endsWith("Widget") && typeof value === "function"),
  ),
) as RegistryWidgetsType;

export const theme: ThemeProps = {
  ...AntdTheme,
  widgets: { ...AntdTheme.widgets, ...WIDGETS },
  templates: { ...AntdTheme.templates, ObjectFieldTemplate },
};

/** react-jsonschema-form with the antd theme and our widgets and layout. */
export const ThemedForm = withTheme(theme);
