import type { WidgetProps } from "@rjsf/utils";
import { InputNumber } from "antd";

/** Whole points (schema: integer). */
export function PointsWidget({ id, value, onChange, onBlur, onFocus, disabled, readonly, schema, placeholder }: WidgetProps) {
  return (
    <InputNumber<number>
      id={id}
      precision={0}
      step={1}
      min={typeof schema.minimum === "number" ? schema.minimum : undefined}
      max={typeof schema.maximum === "number" ? schema.maximum : undefined}
      style={{ width: "100%" }}
      value={value ?? null}
      placeholder={placeholder}
      disabled={disabled || readonly}
      onChange={(next) => onChange(next === null ? undefined : Math.trunc(next))}
      onBlur={() => onBlur(id, value)}
      onFocus={() => onFocus(id, value)}
    />
  );
}
