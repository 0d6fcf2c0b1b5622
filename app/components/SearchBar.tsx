import { Form, Input } from "antd";
import type { FormProps } from "antd";

/** A one-field search form wired to Refine's useTable `searchFormProps`. */
export function SearchBar({ formProps, placeholder }: { formProps: FormProps; placeholder: string }) {
  return (
    <Form {...formProps} layout="inline" style={{ marginBottom: 16 }}>
      <Form.Item name="q" style={{ width: 360, maxWidth: "100%" }}>
        <Input.Search allowClear placeholder={placeholder} aria-label={placeholder} onSearch={() => formProps.form?.submit()} />
      </Form.Item>
    </Form>
  );
}

/** Characters that would break PostgREST's `or=(...)` syntax or act as wildcards are dropped. */
export const cleanSearch = (value: unknown) =>
  typeof value === "string" ? value.replace(/[,()"'\\%*:]/g, " ").trim() : "";
