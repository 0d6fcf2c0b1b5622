import { Card, Form, Input, Radio } from "antd";
import { useTranslation } from "react-i18next";
import type { BuilderDoc } from "./model";

/** Settings of the whole form, shown when no field is selected: titles and the number of columns. */
export function FormSettings({ doc, onChange }: { doc: BuilderDoc; onChange: (patch: Partial<BuilderDoc>, prop: string) => void }) {
  const { t } = useTranslation();
  return (
    <Card size="small" title={t("builder.formSettings")}>
      <Form layout="vertical" size="small" component="div">
        <Form.Item label={t("builder.titleZh")} htmlFor="doc-title" style={{ marginBottom: 10 }}>
          <Input id="doc-title" value={doc.title} onChange={(e) => onChange({ title: e.target.value }, "title")} />
        </Form.Item>
        <Form.Item label={t("builder.titleEn")} htmlFor="doc-title-en" style={{ marginBottom: 10 }}>
          <Input id="doc-title-en" value={doc.title_en} onChange={(e) => onChange({ title_en: e.target.value }, "title_en")} />
        </Form.Item>
        <Form.Item label={t("builder.columns")} style={{ marginBottom: 0 }}>
          <Radio.Group value={doc.columns} onChange={(e) => onChange({ columns: e.target.value }, "columns")}
            options={[{ value: 1, label: t("builder.oneColumn") }, { value: 2, label: t("builder.twoColumns") }]} optionType="button" />
        </Form.Item>
      </Form>
    </Card>
  );
}
