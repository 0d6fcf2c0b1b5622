import type { RJSFSchema } from "@rjsf/utils";
import { Alert, Button, Card } from "antd";
import { Component, memo, useDeferredValue, useMemo, useState, type ReactNode } from "react";
import { useTranslation } from "react-i18next";
import type { UiSchema } from "../forms/layout";
import { SchemaForm } from "../forms/SchemaForm";

/** A broken intermediate schema (e.g. a half-typed pattern) must not take the builder down. */
class PreviewBoundary extends Component<{ children: ReactNode; resetKey: unknown; message: string }, { error: Error | null }> {
  state = { error: null as Error | null };
  static getDerivedStateFromError(error: Error) {
    return { error };
  }
  componentDidUpdate(prev: { resetKey: unknown }) {
    if (prev.resetKey !== this.props.resetKey && this.state.error) this.setState({ error: null });
  }
  render() {
    return this.state.error ? <Alert type="warning" showIcon message={this.props.message} description={this.state.error.message} /> : this.props.children;
  }
}

/**
 * The form as staff will see it, validated live with the same ajv rules. Rendered from a deferred
 * copy of the definition (and memoized), so dragging and typing in the builder stay responsive
 * while the preview catches up.
 */
export const Preview = memo(function Preview({ schema, uiSchema }: { schema: RJSFSchema; uiSchema: UiSchema }) {
  const { t } = useTranslation();
  const definition = useMemo(() => ({ schema, uiSchema }), [schema, uiSchema]);
  const deferred = useDeferredValue(definition);
  return (
    <Card size="small" title={t("builder.preview")} data-testid="builder-preview" aria-busy={deferred !== definition}>
      <PreviewBoundary resetKey={deferred.schema} message={t("builder.previewBroken")}>
        <PreviewForm schema={deferred.schema} uiSchema={deferred.uiSchema} />
      </PreviewBoundary>
    </Card>
  );
});

const PreviewForm = memo(function PreviewForm({ schema, uiSchema }: { schema: RJSFSchema; uiSchema: UiSchema }) {
  const { t } = useTranslation();
  const [data, setData] = useState<Record<string, unknown>>({});
  const [submitted, setSubmitted] = useState(false);
  return (
    <SchemaForm schema={schema} uiSchema={uiSchema} formData={data} onChange={setData} liveValidate onSubmit={() => setSubmitted(true)} id="builder-preview-form">
      <Button htmlType="submit" onClick={() => setSubmitted(false)}>{t("builder.tryValidate")}</Button>
      {submitted && <Alert type="success" showIcon message={t("builder.previewValid")} style={{ marginTop: 8 }} />}
    </SchemaForm>
  );
});
