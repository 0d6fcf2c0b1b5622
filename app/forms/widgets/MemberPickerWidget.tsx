import type { WidgetProps } from "@rjsf/utils";
import { Select } from "antd";
import { useEffect, useState } from "react";
import { supabaseClient } from "../../providers/supabase-client";

interface MemberOption {
  id: string;
  member_no: string;
  name: string;
  phone: string | null;
}

const label = (m: MemberOption) => `${m.name} · ${m.member_no}`;
const clean = (q: string) => q.replace(/[,()"'\\%*:]/g, " ").trim();

/** Picks one member by name, phone or member number; stores the member id. */
export function MemberPickerWidget({ id, value, onChange, onBlur, onFocus, disabled, readonly, placeholder }: WidgetProps) {
  const [options, setOptions] = useState<MemberOption[]>([]);
  const [loading, setLoading] = useState(false);

  useEffect(() => {
    if (!value || options.some((o) => o.id === value)) return;
    void supabaseClient
      .from("members")
      .select("id, member_no, name, phone")
      .eq("id", value)
      .then(({ data }) => data && setOptions((prev) => [...prev, ...(data as MemberOption[])]));
  }, [value, options]);

  const search = async (text: string) => {
    const q = clean(text);
    if (!q) return;
    setLoading(true);
    const { data } = await supabaseClient
      .from("members")
      .select("id, member_no, name, phone")
      .or(`name.ilike.*${q}*,phone.ilike.*${q}*,member_no.ilike.*${q}*`)
      .limit(20);
    setLoading(false);
    setOptions((data ?? []) as MemberOption[]);
  };

  return (
    <Select
      id={id}
      showSearch
      allowClear
      filterOption={false}
      loading={loading}
      style={{ width: "100%" }}
      placeholder={placeholder}
      disabled={disabled || readonly}
      value={value ?? undefined}
      onSearch={(text) => void search(text)}
      options={options.map((m) => ({ value: m.id, label: label(m) }))}
      onChange={(next) => onChange(next ?? undefined)}
      onBlur={() => onBlur(id, value)}
      onFocus={() => onFocus(id, value)}
    />
  );
}
