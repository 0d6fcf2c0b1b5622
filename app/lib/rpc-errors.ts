import i18next, { type TFunction } from "i18next";

/**
 * The user-facing text of a failed call, chosen by codes only, never by the server's English text:
 * 1. a SQL refusal's reason code (HINT) -> errors.reasons.<code>, its values (DETAIL, a JSON object)
 *    interpolated;
 * 2. the name of a violated constraint -> errors.constraints.<name>;
 * 3. the caller's text for a Postgres/PostgREST code (e.g. 42501 on a table the caller knows);
 * 4. a general text for the code; else the server's message as sent.
 */
export function localizeRpcError(error: unknown, t: TFunction, byCode: Record<string, string> = {}): string {
  const { message, code, hint, details } = fields(error);
  if (/^[a-z][a-z0-9_]*$/.test(hint) && i18next.exists(`errors.reasons.${hint}`)) {
    return t(`errors.reasons.${hint}`, reasonValues(details));
  }
  // Postgres names the violated constraint (a stable identifier) in its message.
  const constraint = /constraint "([a-z0-9_]+)"/.exec(message)?.[1];
  if (constraint && i18next.exists(`errors.constraints.${constraint}`)) return t(`errors.constraints.${constraint}`);
  if (byCode[code]) return byCode[code];
  if (GENERAL[code]) return t(GENERAL[code]);
  if (isNetworkFailure(error)) return t("errors.network");
  return message || t("errors.unknown");
}

const GENERAL: Record<string, string> = {
  "42501": "errors.permissionDenied",
  PGRST202: "errors.functionMissing",
  // A parameter PostgREST could not cast (e.g. a filter that is not an array): refused before the function runs.
  "22P02": "errors.invalidParameters",
};

function fields(error: unknown) {
  // Errors and Refine's HttpError (a plain object spreading the PostgrestError) alike.
  const raw = (typeof error === "string" ? { message: error } : (error ?? {})) as Record<string, unknown>;
  const text = (name: string) => (typeof raw[name] === "string" ? (raw[name] as string) : "");
  return { message: text("message"), code: text("code"), hint: text("hint"), details: text("details") };
}

/** The values a refusal carries in DETAIL as a JSON object, as interpolation values for its text. */
function reasonValues(details: string): Record<string, string> {
  if (!details.startsWith("{")) return {};
  try {
    const parsed = JSON.parse(details) as Record<string, unknown>;
    return Object.fromEntries(Object.entries(parsed).map(([name, value]) => [name, String(value ?? "")]));
  } catch {
    return {};
  }
}

/** fetch() rejects with a TypeError when the server cannot be reached (the browser words it). */
function isNetworkFailure(error: unknown) {
  return error instanceof TypeError || /failed to fetch|networkerror|network request failed/i.test(fields(error).message);
}
