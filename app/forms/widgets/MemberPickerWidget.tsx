import { useSelect } from "@refinedev/antd";
import type { WidgetProps } from "@rjsf/utils";
import { Select } from "antd";

interface MemberOption {
  id: string;
  member_no: string;
  name: string;
  phone: string | null;
}

const label = (m: MemberOption) => `${m.name} · ${m.member_no}`;

/** Picks one member by name, phone or member number; stores the member id. */
export function MemberPickerWidget({ id, value, onChange, onBlur, onFocus, disabled, readonly, placeholder }: WidgetProps) {
  const { selectProps } = useSelect<MemberOption>({
    resource: "members",
    optionLabel: label,
    optionValue: "id",
    defaultValue: value ?? undefined,
    meta: { select: "id, member_no, name, phone" },
    onSearch: (text) => {
      const q = text.trim();
      const fields = ["name", "phone", "member_no"].map((field) => ({ field, operator: "contains" as const, value: q }));
      return q ? [{ operator: "or", value: fields }] : [];
    },
    pagination: { pageSize: 20 },
    debounce: 300,
    errorNotification: false,
  });

  return (
    <Select<string>
      id={id}
      showSearch
      allowClear
      filterOption={false}
      loading={selectProps.loading}
      style={{ width: "100%" }}
      placeholder={placeholder}
      disabled={disabled || readonly}
      value={value ?? undefined}
      onSearch={selectProps.onSearch}
      options={selectProps.options as { label: string; value: string }[] | undefined}
      onChange={(next) => onChange(next ?? undefined)}
      onBlur={() => onBlur(id, value)}
      onFocus={() => onFocus(id, value)}
    />
  );
}
