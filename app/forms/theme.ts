import { withTheme, type ThemeProps } from "@rjsf/core";
import { Theme as AntdTheme } from "@rjsf/antd";
import type { RegistryWidgetsType } from "@rjsf/utils";
import { ObjectFieldTemplate } from "./templates/ObjectFieldTemplate";
import { MemberPickerWidget } from "./widgets/MemberPickerWidget";
import { MoneyWidget } from "./widgets/MoneyWidget";
import { PhoneWidget } from "./widgets/PhoneWidget";
import { PointsWidget } from "./widgets/PointsWidget";
import { BusinessUnitWidget, ReferenceWidget } from "./widgets/ReferenceWidget";

/**
 * Our widgets, registered once: a uiSchema names them (`"ui:widget": "MoneyWidget"`) and never
 * imports them. The field types (core/field-types) name exactly these widgets.
 */
export const WIDGETS: RegistryWidgetsType = {
  MoneyWidget,
  PointsWidget,
  PhoneWidget,
  MemberPickerWidget,
  BusinessUnitWidget,
  ReferenceWidget,
};

export const theme: ThemeProps = {
  ...AntdTheme,
  widgets: { ...AntdTheme.widgets, ...WIDGETS },
  templates: { ...AntdTheme.templates, ObjectFieldTemplate },
};

/** react-jsonschema-form with the antd theme and our widgets and layout. */
export const ThemedForm = withTheme(theme);
