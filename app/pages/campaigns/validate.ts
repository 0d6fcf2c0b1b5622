import { CAMPAIGN_LIMITS as L, RULE_KEY_PATTERN } from "../../../core/enums/index.ts";
import type { CampaignDraft } from "../../data/campaigns";

/** One thing the server would refuse in a draft: the form field it belongs to and the reason (errors.reasons.<code>). */
export interface CampaignProblem {
  field: string;
  code: string;
  values?: Record<string, string | number>;
}

const DAY_MS = 86_400_000;

/**
 * What save_campaign and submit_campaign refuse, checked before asking them (the limits come from
 * core/enums/campaigns.ts, which SQL guards the same): an empty list means the draft may be sent.
 */
export function campaignProblems(draft: CampaignDraft, now: Date = new Date()): CampaignProblem[] {
  const problems: CampaignProblem[] = [];
  const add = (field: string, code: string, values?: CampaignProblem["values"]) => problems.push({ field, code, values });

  if (!new RegExp(RULE_KEY_PATTERN).test(draft.key)) add("key", "campaign_key_invalid");
  const name = draft.name.trim();
  if (!name) add("name", "campaign_name_required");
  else if (name.length > L.max_name) add("name", "campaign_name_too_long", { max: L.max_name });
  if ((draft.description ?? "").length > L.max_description) add("description", "campaign_description_too_long", { max: L.max_description });
  if (!draft.segment_key) add("segment_key", "campaign_segment_required");
  if (!draft.business_unit_ids.length) add("business_unit_ids", "campaign_units_required");
  if (draft.paying_unit_id && !draft.business_unit_ids.includes(draft.paying_unit_id)) add("paying_unit_id", "campaign_paying_unit_invalid");

  const starts = Date.parse(draft.starts_at);
  const ends = Date.parse(draft.ends_at);
  if (!Number.isFinite(starts) || !Number.isFinite(ends)) add("period", "campaign_period_required");
  else {
    const earliest = new Date(now);
    earliest.setHours(0, 0, 0, 0);
    if (starts < earliest.getTime() - L.max_start_days_back * DAY_MS) add("period", "campaign_starts_too_early", { days: L.max_start_days_back });
    if (ends <= starts) add("period", "campaign_period_invalid");
    else if (ends - starts > L.max_days * DAY_MS) add("period", "campaign_period_too_long", { days: L.max_days });
  }

  const offer = draft.offer;
  const multiplierOk = (m: number | undefined) => typeof m === "number" && m >= L.min_multiplier && m <= L.max_multiplier;
  const usesOk = (u: number | undefined) => Number.isInteger(u) && u! >= 1 && u! <= L.max_benefit_uses;
  const templateOk = (text: string | undefined) => !!text?.trim() && text.length <= L.max_template;
  const range = { min: L.min_multiplier, max: L.max_multiplier };
  if (offer.kind === "points_multiplier" && !multiplierOk(offer.multiplier)) add("multiplier", "campaign_multiplier_out_of_range", range);
  if (offer.kind === "benefit_grant") {
    if (!offer.benefit_key) add("benefit_key", "campaign_benefit_required");
    if (!usesOk(offer.uses)) add("uses", "campaign_uses_out_of_range", { max: L.max_benefit_uses });
  }
  if (offer.kind === "message" && !templateOk(offer.template)) add("template", "campaign_template_invalid", { max: L.max_template });

  if (!Number.isInteger(draft.budget_fen) || draft.budget_fen < 1 || draft.budget_fen > L.max_budget_fen) {
    add("budget", "campaign_budget_out_of_range", { max: (L.max_budget_fen / 100).toLocaleString("en-US") });
  }
  if (!Number.isInteger(draft.holdout_percent) || draft.holdout_percent < 0 || draft.holdout_percent > L.max_holdout_percent) {
    add("holdout_percent", "campaign_holdout_out_of_range", { max: L.max_holdout_percent });
  }

  const arms = draft.arms ?? [];
  if (arms.length) {
    if (arms.length < 2 || arms.length > L.max_arms) add("arms", "campaign_arms_count", { max: L.max_arms });
    if (arms.some((a) => !Number.isInteger(a.share) || a.share < 1) || arms.reduce((sum, a) => sum + a.share, 0) !== 100) {
      add("arms", "campaign_arms_share");
    }
    if (new Set(arms.map((a) => a.key)).size !== arms.length) add("arms", "campaign_arms_share");
    if (offer.kind === "points_multiplier" && arms.some((a) => a.multiplier !== undefined && !multiplierOk(a.multiplier))) {
      add("arms", "campaign_multiplier_out_of_range", range);
    }
    if (offer.kind === "benefit_grant" && arms.some((a) => a.uses !== undefined && !usesOk(a.uses))) add("arms", "campaign_uses_out_of_range", { max: L.max_benefit_uses });
    if (offer.kind === "message" && arms.some((a) => a.template !== undefined && !templateOk(a.template))) add("arms", "campaign_template_invalid", { max: L.max_template });
  }
  return problems;
}

/** Yuan typed with two decimals as fen, without float drift (12.34 -> 1234). */
export const yuanToFen = (yuan: number) => Math.round(yuan * 100);
