import type { IChangeEvent } from "@rjsf/core";
import type { ErrorSchema, RJSFSchema } from "@rjsf/utils";
import { useMemo, type ReactNode } from "react";
import { useTranslation } from "react-i18next";
import type { UiSchema } from "./layout";
import { localizeSchema, localizeUiSchema } from "./localize";
import { ThemedForm } from "./theme";
import { rjsfTranslator } from "./translate-string";
import { transformErrorsZh, validatorEn, validatorZh } from "./validator";

const ignoreErrors = () => undefined;

export interface SchemaFormProps {
  schema: RJSFSchema;
  uiSchema?: UiSchema;
  formData?: Record<string, unknown>;
  onChange?: (data: Record<string, unknown>) => void;
  onSubmit?: (data: Record<string, unknown>) => void;
  /** Errors from elsewhere (the database), shown inline under their fields. */
  extraErrors?: ErrorSchema;
  /** Validate while typing (the builder's preview) rather than from the first submit on. */
  liveValidate?: boolean;
  disabled?: boolean;
  id?: string;
  /** The submit button(s); none when omitted. */
  children?: ReactNode;
}

/**
 * A JSON Schema form in the current language: ajv validation with inline errors (Chinese messages
 * in Chinese), our widgets and layout, data outside the schema dropped on submit (so a field that a
 * condition hid is not sent).
 */
export function SchemaForm({ schema, uiSchema, formData, onChange, onSubmit, extraErrors, liveValidate, disabled, id, children }: SchemaFormProps) {
  const { t, i18n } = useTranslation();
  const language = i18n.language;
  const localized = useMemo(() => localizeSchema(schema, language), [schema, language]);
  const localizedUi = useMemo(() => ({ ...localizeUiSchema(uiSchema ?? {}, language), "ui:submitButtonOptions": { norender: true } }), [uiSchema, language]);
  const formContext = useMemo(() => ({ language, labelCol: { span: 24 }, wrapperCol: { span: 24 } }), [language]);
  const translateString = useMemo(() => rjsfTranslator(t), [t]);
  const zh = language !== "en";
  return (
    <ThemedForm
      id={id}
      schema={localized}
      uiSchema={localizedUi}
      formData={formData}
      validator={zh ? validatorZh : validatorEn}
      transformErrors={zh ? transformErrorsZh : undefined}
      formContext={formContext}
      extraErrors={extraErrors}
      liveValidate={liveValidate ? "onChange" : undefined}
      showErrorList={false}
      omitExtraData
      liveOmit={liveValidate ? "onChange" : undefined}
      noHtml5Validate
      focusOnFirstError
      disabled={disabled}
      translateString={translateString}
      // the errors show under their fields; without a handler RJSF also logs them as console errors
      onError={ignoreErrors}
      onChange={(event: IChangeEvent) => onChange?.(event.formData ?? {})}
      onSubmit={(event: IChangeEvent) => onSubmit?.(event.formData ?? {})}
    >
      {children ?? <></>}
    </ThemedForm>
  );
}
