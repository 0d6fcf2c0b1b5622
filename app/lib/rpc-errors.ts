import i18next, { type TFunction } from "i18next";
import { memberStatusLabel } from "../../core/enums/index.ts";

type Params = (match: RegExpMatchArray, t: TFunction) => Record<string, string>;

/** Server messages (see supabase/migrations) mapped to i18n keys; anything else is shown as sent. */
const PATTERNS: [RegExp, string, Params?][] = [
  [/insufficient points: balance (-?\d+), requested (\d+)/i, "errors.insufficientPoints", (m) => ({ balance: m[1], requested: m[2] })],
  [/member \S+ is (frozen|cancelled)/i, "errors.memberInactive", (m, t) => ({ status: t(memberStatusLabel(m[1])) })],
  [/business unit \S+ is inactive/i, "errors.unitInactive"],
  [/idempotency key .* already used with different parameters/i, "errors.keyReused"],
  [/points must be a positive whole number/i, "errors.pointsPositive"],
  [/occurred_at .* (is|lies) in the future/i, "errors.occurredInFuture"],
  [/order (.+) was already recorded for this business unit with a different member or amount/i, "errors.orderConflict", (m) => ({ order: m[1] })],
  [/amount .* has more than 2 decimals/i, "errors.amountDecimals"],
  [/amount must be a positive number/i, "errors.amountPositive"],
  [/merge needs two different members/i, "errors.mergeSame"],
  [/was already merged into another record/i, "errors.alreadyMerged"],
  [/unknown member/i, "errors.unknownMember"],
  [/member_identities_business_unit_id_external_id_key/, "member_identities.taken"],
  [/row-level security policy for table "member_identities"/, "member_identities.notYourUnit"],
  [/permission denied/i, "errors.permissionDenied"],
  [/failed to fetch|networkerror|network request failed/i, "errors.network"],
];

/** The user-facing text of a failed call: localized when the message is known, else the raw message. */
export function localizeRpcError(error: unknown, t: TFunction): string {
  // Errors and Refine's HttpError (a plain object) alike carry the server's text in `message`.
  const text = typeof error === "string" ? error : (error as { message?: unknown } | null)?.message;
  const message = typeof text === "string" ? text : "";
  const code = (error as { code?: unknown } | null)?.code;
  // A refusal with a reason code (HINT) is translated by the code, not by its English text.
  const hint = (error as { hint?: unknown } | null)?.hint;
  if (typeof hint === "string" && /^[a-z][a-z0-9_]*$/.test(hint) && i18next.exists(`errors.reasons.${hint}`)) {
    return t(`errors.reasons.${hint}`);
  }
  for (const [pattern, key, params] of PATTERNS) {
    const match = message.match(pattern);
    if (match) return t(key, params ? params(match, t) : {});
  }
  if (code === "PGRST202") return t("errors.functionMissing");
  if (code === "42501") return t("errors.permissionDenied");
  return message || t("errors.unknown");
}
