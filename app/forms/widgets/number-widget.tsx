import type { WidgetProps } from "@rjsf/utils";
import { InputNumber } from "antd";

interface NumberWidgetOptions {
  prefix?: string;
  precision: number;
  /** What the typed number is stored as (rounded to the schema's step). */
  normalize: (value: number) => number;
}

/** An antd number input for a JSON Schema number field, bounded by the schema's minimum and maximum. */
export function numberWidget({ prefix, precision, normalize }: NumberWidgetOptions) {
  return function NumberWidget({ id, value, onChange, onBlur, onFocus, disabled, readonly, schema, placeholder }: WidgetProps) {
    return (
      <InputNumber<number>
        id={id}
        prefix={prefix}
        precision={precision}
        step={10 ** -precision}
        min={typeof schema.minimum === "number" ? schema.minimum : undefined}
        max={typeof schema.maximum === "number" ? schema.maximum : undefined}
        style={{ width: "100%" }}
        value={value ?? null}
        placeholder={placeholder}
        disabled={disabled || readonly}
        onChange={(next) => onChange(next === null ? undefined : normalize(next))}
        onBlur={() => onBlur(id, value)}
        onFocus={() => onFocus(id, value)}
      />
    );
  };
}
