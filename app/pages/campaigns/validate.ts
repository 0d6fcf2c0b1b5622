import { CAMPAIGN_ARMS, CAMPAIGN_KEY_PATTERN, CAMPAIGN_LIMITS as L } from "../../../core/enums/index.ts";
import type { CampaignDraft } from "../../data/campaigns";

/** One thing the server would refuse in a draft: the form field it belongs to and the reason (errors.reasons.<code>, save_campaign's hints). */
export interface CampaignProblem {
  field: string;
  code: string;
  values?: Record<string, string | number>;
}

const DAY_MS = 86_400_000;
/** At most two decimals (1.1 × 100 is 110.00000000000001 in floating point, so compare within a tolerance). */
const twoDecimals = (n: number) => Math.abs(Math.round(n * 100) - n * 100) < 1e-6;

/**
 * What save_campaign refuses, checked before asking it (the limits come from core/enums/campaigns.ts, which SQL
 * guards the same: private.campaign_limits()), with the same reason codes: an empty list means the draft may be sent.
 * The server alone checks what needs its data (the segment and the benefit published, the key free).
 */
export function campaignProblems(draft: CampaignDraft, now: Date = new Date()): CampaignProblem[] {
  const problems: CampaignProblem[] = [];
  const add = (field: string, code: string, values?: CampaignProblem["values"]) => problems.push({ field, code, values });

  if (!new RegExp(CAMPAIGN_KEY_PATTERN).test(draft.key)) add("key", "campaign_key_invalid");
  const name = draft.name.trim();
  if (!name || name.length > L.max_name_length) add("name", "campaign_name_invalid", { max: L.max_name_length });
  if ((draft.description ?? "").length > L.max_description_length) add("description", "campaign_description_too_long", { max: L.max_description_length });
  if (!draft.segment_key) add("segment_key", "campaign_segment_unknown");
  if (!draft.business_unit_ids.length || draft.business_unit_ids.length > L.max_units) add("business_unit_ids", "campaign_units_invalid", { max: L.max_units });
  if (!draft.paying_unit_id || !draft.business_unit_ids.includes(draft.paying_unit_id)) add("paying_unit_id", "campaign_paying_unit_invalid");

  const starts = Date.parse(draft.starts_at);
  const ends = Date.parse(draft.ends_at);
  const yesterday = new Date(now);
  yesterday.setHours(0, 0, 0, 0);
  if (!Number.isFinite(starts) || !Number.isFinite(ends) || ends <= starts || ends - starts > L.max_days * DAY_MS
      || starts < yesterday.getTime() - DAY_MS) {
    add("period", "campaign_period_invalid", { max_days: L.max_days });
  }

  const offer = draft.offer;
  const multiplierOk = (m: number | undefined) => typeof m === "number" && m >= L.min_multiplier && m <= L.max_multiplier && twoDecimals(m);
  const usesOk = (u: number | undefined) => Number.isInteger(u) && u! >= 1 && u! <= L.max_uses;
  const messageOk = (text: string | undefined) => !!text?.trim() && text.trim().length <= L.max_message_length;
  const costOk = (fen: number | undefined, min: number) => fen === undefined || (Number.isInteger(fen) && fen >= min && fen <= L.max_unit_cost_fen);
  const range = { min: L.min_multiplier, max: L.max_multiplier };
  if (offer.kind === "points_multiplier" && !multiplierOk(offer.multiplier)) add("multiplier", "campaign_multiplier_invalid", range);
  if (offer.kind === "benefit_grant") {
    if (!offer.benefit_key) add("benefit_key", "campaign_benefit_unknown");
    if (!usesOk(offer.uses)) add("uses", "campaign_uses_invalid", { max: L.max_uses });
    if (!costOk(offer.unit_cost_fen, 1)) add("unit_cost", "campaign_unit_cost_invalid", { max: L.max_unit_cost_fen });
  }
  if (offer.kind === "message") {
    if (!messageOk(offer.message)) add("message", "campaign_message_invalid", { max: L.max_message_length });
    if (!costOk(offer.unit_cost_fen, 0)) add("unit_cost", "campaign_unit_cost_invalid", { max: L.max_unit_cost_fen });
  }

  if (!Number.isInteger(draft.budget_fen) || draft.budget_fen < 1 || draft.budget_fen > L.max_budget_fen) add("budget", "campaign_budget_invalid");
  if (!Number.isInteger(draft.holdout_percent) || draft.holdout_percent < 0 || draft.holdout_percent > L.max_holdout_percent) {
    add("holdout_percent", "campaign_holdout_invalid", { max: L.max_holdout_percent });
  }

  const arms = draft.arms;
  if (arms.length < 1 || arms.length > L.max_arms || arms.some((a, i) => a.key !== CAMPAIGN_ARMS[i] || !Number.isInteger(a.share) || a.share < 1 || a.share > 100)
      || arms.reduce((sum, a) => sum + a.share, 0) !== 100) {
    add("arms", "campaign_arms_invalid", { max: L.max_arms });
  } else if (arms.some((a) =>
    (a.multiplier !== undefined && (offer.kind !== "points_multiplier" || !multiplierOk(a.multiplier)))
    || (a.uses !== undefined && (offer.kind !== "benefit_grant" || !usesOk(a.uses)))
    || (a.message !== undefined && (offer.kind !== "message" || !messageOk(a.message))))) {
    add("arms", "campaign_arm_offer_invalid");
  }
  return problems;
}

/** Yuan typed with two decimals as fen, without float drift (12.34 -> 1234). */
export const yuanToFen = (yuan: number) => Math.round(yuan * 100);
