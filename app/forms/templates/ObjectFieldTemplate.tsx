import type { ObjectFieldTemplateProps } from "@rjsf/utils";
import { Col, Divider, Row } from "antd";
import { groupFields, layoutOf } from "../layout";

const FULL_WIDTH_WIDGETS = new Set(["textarea", "checkboxes"]);

/**
 * Fields in a 1- or 2-column grid, split into titled sections (uiSchema `ui:options.columns` and
 * `ui:options.groups`, see ../layout.ts). Long text, lists and nested objects take a whole row.
 */
export function ObjectFieldTemplate({ properties, uiSchema, registry, schema, title, fieldPathId }: ObjectFieldTemplateProps) {
  const isRoot = !fieldPathId.path.length;
  const layout = layoutOf(uiSchema);
  const language = (registry.formContext as { language?: string } | undefined)?.language;
  const columns = layout.columns ?? 1;
  const byName = new Map(properties.filter((p) => !p.hidden).map((p) => [p.name, p]));
  const span = (name: string) => {
    const fieldUi = (uiSchema?.[name] ?? {}) as Record<string, unknown>;
    const options = (fieldUi["ui:options"] ?? {}) as { fullWidth?: boolean };
    const fieldSchema = (schema.properties?.[name] ?? {}) as { type?: unknown };
    const wide = options.fullWidth || FULL_WIDTH_WIDGETS.has(String(fieldUi["ui:widget"])) || fieldSchema.type === "object";
    return columns === 2 && !wide ? 12 : 24;
  };
  const sections = groupFields([...byName.keys()], layout.groups);
  return (
    <fieldset style={{ border: 0, padding: 0, margin: 0, minWidth: 0 }}>
      {title && !isRoot && <legend>{title}</legend>}
      {sections.map((section, index) => (
        <div key={section.group?.title ?? `s${index}`} role={section.group ? "group" : undefined} aria-label={section.group?.title}>
          {section.group && (
            <Divider orientation="left" style={{ marginTop: index ? 8 : 0 }}>
              {(language === "en" && section.group.title_en) || section.group.title}
            </Divider>
          )}
          <Row gutter={24}>
            {section.names.map((name) => (
              <Col key={name} span={span(name)}>
                {byName.get(name)!.content}
              </Col>
            ))}
          </Row>
        </div>
      ))}
    </fieldset>
  );
}
