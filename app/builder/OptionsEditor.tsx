import { DeleteOutlined, PlusOutlined } from "@ant-design/icons";
import { Button, Flex, Input } from "antd";
import { useTranslation } from "react-i18next";
import { namedOption, optionLabel, type FieldOption } from "./model";

/** Options of a select / multi-select: stored value, Chinese and English labels (an empty one shows the other as its placeholder). */
export function OptionsEditor({ value, onChange }: { value: FieldOption[]; onChange: (options: FieldOption[]) => void }) {
  const { t, i18n } = useTranslation();
  const set = (index: number, patch: Partial<FieldOption>) => onChange(value.map((o, i) => (i === index ? { ...o, ...patch } : o)));
  return (
    <Flex vertical gap={4}>
      {value.map((option, index) => (
        <Flex key={index} gap={4}>
          <Input size="small" aria-label={t("builder.props.optionValue", { n: index + 1 })} placeholder={t("builder.props.value")} value={option.value} onChange={(e) => set(index, { value: e.target.value })} />
          <Input size="small" aria-label={t("builder.props.optionLabel", { n: index + 1 })} placeholder={optionLabel(option, "zh-CN")} value={option.label} onChange={(e) => set(index, { label: e.target.value })} />
          <Input size="small" aria-label={t("builder.props.optionLabelEn", { n: index + 1 })} placeholder={optionLabel(option, "en")} value={option.label_en ?? ""} onChange={(e) => set(index, { label_en: e.target.value })} />
          <Button size="small" type="text" danger icon={<DeleteOutlined />} aria-label={t("builder.remove")} onClick={() => onChange(value.filter((_, i) => i !== index))} />
        </Flex>
      ))}
      <Button size="small" icon={<PlusOutlined />} onClick={() => onChange([...value, namedOption(`opt${value.length + 1}`, t("builder.props.optionN", { n: value.length + 1 }), i18n.language)])}>
        {t("builder.props.addOption")}
      </Button>
    </Flex>
  );
}
