import { Form, Input } from "antd";
import type { FormProps } from "antd";

interface Props {
  formProps: FormProps;
  placeholder: string;
  /** "large": the prominent search of a lookup page (members). */
  size?: "middle" | "large";
  hint?: string;
}

/** A one-field search form wired to Refine's useTable `searchFormProps`. */
export function SearchBar({ formProps, placeholder, size = "middle", hint }: Props) {
  const large = size === "large";
  return (
    <Form {...formProps} layout={large ? "vertical" : "inline"} style={{ marginBottom: 16 }}>
      <Form.Item name="q" extra={hint} style={{ width: large ? 640 : 360, maxWidth: "100%", marginBottom: large ? 0 : undefined }}>
        <Input.Search
          allowClear
          size={size}
          enterButton={large}
          autoFocus={large}
          placeholder={placeholder}
          aria-label={placeholder}
          onSearch={() => formProps.form?.submit()}
        />
      </Form.Item>
    </Form>
  );
}
