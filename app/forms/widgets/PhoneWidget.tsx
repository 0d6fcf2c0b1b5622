import type { WidgetProps } from "@rjsf/utils";
import { Input } from "antd";

/** A mainland mobile number (PHONE_PATTERN in core/enums); digits only. */
export function PhoneWidget({ id, value, onChange, onBlur, onFocus, disabled, readonly, placeholder }: WidgetProps) {
  return (
    <Input
      id={id}
      inputMode="tel"
      maxLength={11}
      placeholder={placeholder || "13800138000"}
      value={value ?? ""}
      disabled={disabled}
      readOnly={readonly}
      onChange={(event) => onChange(event.target.value.replace(/\D/g, "") || undefined)}
      onBlur={() => onBlur(id, value)}
      onFocus={() => onFocus(id, value)}
    />
  );
}
