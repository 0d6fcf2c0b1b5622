import { useMemberSearch } from "../../data/members/use-member-search";
import type { WidgetProps } from "@rjsf/utils";
import { Select } from "antd";

/** Picks one member by name, phone or member number; stores the member id. */
export function MemberPickerWidget({ id, value, onChange, onBlur, onFocus, disabled, readonly, placeholder }: WidgetProps) {
  const search = useMemberSearch(value);

  return (
    <Select<string>
      id={id}
      showSearch
      allowClear
      filterOption={false}
      loading={search.loading}
      style={{ width: "100%" }}
      placeholder={placeholder}
      disabled={disabled || readonly}
      value={value ?? undefined}
      onSearch={search.onSearch}
      options={search.options}
      onChange={(next) => onChange(next ?? undefined)}
      onBlur={() => onBlur(id, value)}
      onFocus={() => onFocus(id, value)}
    />
  );
}
