import type { WidgetProps } from "@rjsf/utils";
import { InputNumber } from "antd";

/** Yuan with two decimals (schema: number, multipleOf 0.01). */
export function MoneyWidget({ id, value, onChange, onBlur, onFocus, disabled, readonly, schema, placeholder }: WidgetProps) {
  return (
    <InputNumber<number>
      id={id}
      prefix="¥"
      precision={2}
      step={0.01}
      min={typeof schema.minimum === "number" ? schema.minimum : undefined}
      max={typeof schema.maximum === "number" ? schema.maximum : undefined}
      style={{ width: "100%" }}
      value={value ?? null}
      placeholder={placeholder}
      disabled={disabled || readonly}
      onChange={(next) => onChange(next === null ? undefined : Math.round(next * 100) / 100)}
      onBlur={() => onBlur(id, value)}
      onFocus={() => onFocus(id, value)}
    />
  );
}
