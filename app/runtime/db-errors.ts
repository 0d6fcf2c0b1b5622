import type { ErrorSchema, RJSFValidationError } from "@rjsf/utils";
import { transformErrorsZh } from "../forms/validator";

/** One violation of a schema refusal (HINT schema_mismatch), with ajv's keyword and params. */
interface SchemaViolation {
  path: string;
  keyword: string;
  params: Record<string, unknown>;
  text: string;
}

/**
 * The database's schema refusal as RJSF extraErrors, so it shows inline under the same fields, worded
 * as the browser's own checks word them (by keyword and params, never by the server's English text).
 */
export function dbErrorsToErrorSchema(error: unknown, language: string): ErrorSchema | undefined {
  const { hint, details } = (error ?? {}) as { hint?: unknown; details?: unknown };
  if (hint !== "schema_mismatch" || typeof details !== "string") return undefined;
  let violations: SchemaViolation[];
  try {
    violations = (JSON.parse(details) as { errors?: SchemaViolation[] }).errors ?? [];
  } catch {
    return undefined;
  }
  const asAjv: RJSFValidationError[] = violations.map((v) => ({ name: v.keyword, params: v.params, message: v.text, property: v.path, stack: v.text }));
  const worded = language === "en" ? asAjv : transformErrorsZh(asAjv);
  const out: Record<string, { __errors: string[] }> = {};
  worded.forEach((violation, index) => {
    const field = violations[index].path.split("/")[1];
    if (field) (out[field] ??= { __errors: [] }).__errors.push(violation.message ?? "");
  });
  return out as ErrorSchema;
}
