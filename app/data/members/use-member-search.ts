import { useSelect } from "@refinedev/antd";

interface MemberOption {
  id: string;
  member_no: string;
  name: string;
}

/** Members to pick from, searched by name, phone or member number (20 at a time), labelled "name · member no". */
export function useMemberSearch(value?: string) {
  const { selectProps } = useSelect<MemberOption>({
    resource: "members",
    optionLabel: (m) => `${m.name} · ${m.member_no}`,
    optionValue: "id",
    defaultValue: value ?? undefined,
    meta: { select: "id, member_no, name" },
    onSearch: (text) => {
      const q = text.trim();
      const fields = ["name", "phone", "member_no"].map((field) => ({ field, operator: "contains" as const, value: q }));
      return q ? [{ operator: "or", value: fields }] : [];
    },
    pagination: { pageSize: 20 },
    debounce: 300,
    errorNotification: false,
  });
  return {
    loading: selectProps.loading,
    onSearch: selectProps.onSearch,
    options: selectProps.options as { label: string; value: string }[] | undefined,
  };
}
