import { Card, Form, Input, InputNumber, Radio, Select, Switch } from "antd";
import { memo, type ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { fieldType, type BuilderSettings } from "../../core/field-types/index.ts";
import { optionLabel, type BuilderField } from "./model";
import { OptionsEditor } from "./OptionsEditor";

interface Props {
  /** Fields that may control this one's visibility (selects and checkboxes that are always shown). */
  controllers: BuilderField[];
  field: BuilderField;
  locked: boolean;
  onChange: (id: string, patch: Partial<BuilderField>, prop: string) => void;
}

/** Whether a controlling field is shown for some of its options (else for yes or no). */
const hasOptions = (f: BuilderField) => f.type !== "section" && !!fieldType(f.type).builder.options;

function Prop({ id, label, children, help }: { id: string; label: string; children: ReactNode; help?: ReactNode }) {
  return (
    <Form.Item label={label} htmlFor={id} help={help} style={{ marginBottom: 10 }}>
      {children}
    </Form.Item>
  );
}

/** Properties of the selected field: key, labels (zh/en), required, limits, options, layout, condition. */
export const FieldProperties = memo(function FieldProperties({ controllers: candidates, field, locked, onChange }: Props) {
  const { t, i18n } = useTranslation();
  const set = (prop: keyof BuilderField) => (value: unknown) => onChange(field.id, { [prop]: value === null ? undefined : value } as Partial<BuilderField>, prop);
  const id = (prop: string) => `prop-${prop}`;
  const section = field.type === "section";
  const controllers = candidates.filter((f) => f.id !== field.id);
  const controller = controllers.find((f) => f.key === field.visibleIf?.field);
  const settings: BuilderSettings = section ? {} : fieldType(field.type).builder;
  const numeric = settings.limits === "range";

  return (
    <Card size="small" title={t("builder.props.title", { name: field.title || field.key })}>
      <Form layout="vertical" size="small" component="div">
        {!section && (
          <Prop id={id("key")} label={t("builder.props.key")} help={locked ? t("builder.props.lockedKey") : undefined}>
            <Input id={id("key")} value={field.key} disabled={locked} onChange={(e) => set("key")(e.target.value.trim())} />
          </Prop>
        )}
        <Prop id={id("title")} label={t("builder.props.labelZh")}>
          <Input id={id("title")} value={field.title} onChange={(e) => set("title")(e.target.value)} />
        </Prop>
        <Prop id={id("title_en")} label={t("builder.props.labelEn")}>
          <Input id={id("title_en")} value={field.title_en} onChange={(e) => set("title_en")(e.target.value)} />
        </Prop>
        {!section && (
          <>
            <Prop id={id("required")} label={t("builder.props.required")}>
              <Switch id={id("required")} checked={field.required} onChange={set("required")} />
            </Prop>
            <Prop id={id("description")} label={t("builder.props.helpZh")}>
              <Input id={id("description")} value={field.description ?? ""} onChange={(e) => set("description")(e.target.value || undefined)} />
            </Prop>
            <Prop id={id("description_en")} label={t("builder.props.helpEn")}>
              <Input id={id("description_en")} value={field.description_en ?? ""} onChange={(e) => set("description_en")(e.target.value || undefined)} />
            </Prop>
          </>
        )}
        {settings.limits && (
          <>
            <Prop id={id("min")} label={t(numeric ? "builder.props.minimum" : "builder.props.minLength")}>
              <InputNumber id={id("min")} value={field.min} precision={settings.precision} onChange={set("min")} style={{ width: "100%" }} />
            </Prop>
            <Prop id={id("max")} label={t(numeric ? "builder.props.maximum" : "builder.props.maxLength")}>
              <InputNumber id={id("max")} value={field.max} precision={settings.precision} onChange={set("max")} style={{ width: "100%" }} />
            </Prop>
          </>
        )}
        {settings.pattern && (
          <Prop id={id("pattern")} label={t("builder.props.pattern")}>
            <Input id={id("pattern")} value={field.pattern ?? ""} placeholder="^[A-Z0-9]+$" onChange={(e) => set("pattern")(e.target.value || undefined)} />
          </Prop>
        )}
        {settings.placeholder && (
          <Prop id={id("placeholder")} label={t("builder.props.placeholder")}>
            <Input id={id("placeholder")} value={field.placeholder ?? ""} onChange={(e) => set("placeholder")(e.target.value || undefined)} />
          </Prop>
        )}
        {settings.options && (
          <Prop id={id("options")} label={t("builder.props.options")}>
            <OptionsEditor value={field.options ?? []} onChange={set("options")} />
          </Prop>
        )}
        {settings.default && (
          <Prop id={id("default")} label={t("builder.props.default")}>
            {settings.default === "switch" ? (
              <Switch id={id("default")} checked={field.default === true} onChange={set("default")} />
            ) : settings.default === "option" ? (
              <Select id={id("default")} allowClear value={field.default as string | undefined} onChange={set("default")}
                options={(field.options ?? []).map((o) => ({ value: o.value, label: optionLabel(o, i18n.language) }))} />
            ) : settings.default === "number" ? (
              <InputNumber id={id("default")} value={field.default as number | undefined} onChange={set("default")} style={{ width: "100%" }} />
            ) : (
              <Input id={id("default")} value={(field.default as string | undefined) ?? ""} onChange={(e) => set("default")(e.target.value || undefined)} />
            )}
          </Prop>
        )}
        {!section && (
          <Prop id={id("fullWidth")} label={t("builder.props.width")}>
            <Radio.Group id={id("fullWidth")} value={field.fullWidth ? "full" : "auto"} onChange={(e) => set("fullWidth")(e.target.value === "full" || undefined)}
              options={[{ value: "auto", label: t("builder.props.widthAuto") }, { value: "full", label: t("builder.props.widthFull") }]} />
          </Prop>
        )}
        {!section && (
          <Prop id={id("visibleIf")} label={t("builder.props.visibleIf")}>
            <Select id={id("visibleIf")} allowClear placeholder={t("builder.props.always")} value={field.visibleIf?.field}
              onChange={(key?: string) => {
                const c = controllers.find((f) => f.key === key);
                set("visibleIf")(c ? { field: c.key, value: hasOptions(c) ? (c.options?.[0]?.value ?? "") : true } : undefined);
              }}
              options={controllers.map((f) => ({ value: f.key, label: f.title || f.key }))} />
            {controller && (
              <Select aria-label={t("builder.props.visibleIfValue")} style={{ marginTop: 6, width: "100%" }} value={field.visibleIf?.value as string}
                onChange={(value) => set("visibleIf")({ field: controller.key, value })}
                options={!hasOptions(controller)
                  ? [{ value: true as unknown as string, label: t("common.yes") }, { value: false as unknown as string, label: t("common.no") }]
                  : (controller.options ?? []).map((o) => ({ value: o.value, label: optionLabel(o, i18n.language) }))} />
            )}
          </Prop>
        )}
      </Form>
    </Card>
  );
},
// re-render only for this field, its lock, or a change among the fields that may control it
(a, b) =>
  a.field === b.field && a.locked === b.locked && a.onChange === b.onChange &&
  a.controllers.length === b.controllers.length && a.controllers.every((f, i) => f === b.controllers[i]),
);
