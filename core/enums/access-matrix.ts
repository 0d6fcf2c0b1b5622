import type { Role } from "./roles.ts";

/**
 * The built-in access matrix: which roles may do what on which resource. The app hides menus, pages and
 * buttons from everything else; the database refuses the same through RLS and the ledger functions
 * (tests/db/registry-parity.test.ts compares the front-office and member rights with the policies).
 */
export type Action = "list" | "show" | "create" | "edit" | "delete";
export type AccessRules = Partial<Record<Action, readonly Role[]>>;

export const ALL_ROLES: readonly Role[] = ["staff", "manager", "director", "analyst", "marketing", "finance", "admin"];
/** Who posts points and purchases (private.assert_ledger_access checks the same roles per business unit). */
export const FRONT_OFFICE_ROLES: readonly Role[] = ["staff", "manager", "director", "admin"];
/**
 * Who serves members and so reads their phone, email and birthday in full, and registers and edits them
 * (private.sees_personal_data); directors and analysts read them masked (public.member_directory).
 */
export const PERSONAL_DATA_ROLES: readonly Role[] = ["staff", "manager", "admin"];
/**
 * Who serves a unit's counter: verifies members' benefits and redeems coupons there (verify_benefit_use and
 * redeem_coupon check the same roles for the unit) and asks for a manual benefit grant (request_benefit_grant).
 */
export const COUNTER_ROLES: readonly Role[] = ["staff", "manager"];
/** Who may ask for a manual benefit grant for a unit (request_benefit_grant: staff, managers, directors of the unit). */
export const GRANT_REQUEST_ROLES: readonly Role[] = ["staff", "manager", "director"];
const BENEFIT_READERS: readonly Role[] = ["marketing", "admin", ...GRANT_REQUEST_ROLES];
/** Who may revoke a grant issued by a unit (revoke_benefit_grant: managers and directors of the issuing unit). */
export const GRANT_REVOKE_ROLES: readonly Role[] = ["manager", "director"];
/** Who may merge members, change a member's status and unlink a unit's member id. */
const MANAGEMENT: readonly Role[] = ["manager", "director", "admin"];
/**
 * Business staff who draft rules and forms (private.drafts_definitions). Only administrators publish directly
 * (`definition_publish`); the others submit drafts for approval, since an earning rule makes points.
 */
const DRAFTERS: readonly Role[] = ["marketing", "admin"];
/** Who reads segments (客群) and who reads care tasks (客户关怀). */
const SEGMENT_READERS: readonly Role[] = [...DRAFTERS, "director", "analyst"];
const CARE_READERS: readonly Role[] = [...COUNTER_ROLES, "director", "marketing", "admin"];
/** Who reads campaigns (营销活动) and their results (private.reads_campaigns) and who drafts them (private.drafts_campaigns). */
export const CAMPAIGN_READERS: readonly Role[] = [...DRAFTERS, "manager", "director", "analyst", "finance"];
export const CAMPAIGN_DRAFTERS: readonly Role[] = DRAFTERS;
/** Who cancels a campaign (cancel_campaign): its drafters and directors. */
export const CAMPAIGN_CANCELLERS: readonly Role[] = [...DRAFTERS, "director"];
/**
 * Who reads settlement between business units (private.settlement_units): finance and directors (group-wide: every
 * unit; of one unit: that unit's statements), managers (their unit's), admins.
 */
export const SETTLEMENT_READERS: readonly Role[] = ["finance", "director", "manager", "admin"];
/** Who confirms or disputes a unit's statement (private.decides_settlement_for: the unit's finance or managers, group finance). */
export const SETTLEMENT_DECIDERS: readonly Role[] = ["finance", "manager", "admin"];

export const ACCESS_MATRIX = {
  home: { list: ALL_ROLES },
  members: { list: ALL_ROLES, show: ALL_ROLES, create: PERSONAL_DATA_ROLES, edit: PERSONAL_DATA_ROLES, delete: ["admin"] },
  /** Purchases: recording one earns points (`record_transaction`). */
  transactions: { list: ALL_ROLES, show: ALL_ROLES, create: FRONT_OFFICE_ROLES },
  /** The points ledger: `create` is a redemption (`redeem_points`). */
  ledger_entries: { list: ALL_ROLES, show: ALL_ROLES, create: FRONT_OFFICE_ROLES },
  /** Each unit's own member id: front office links them, unit managers remove them (RLS checks the unit). */
  member_identities: { list: ALL_ROLES, show: ALL_ROLES, create: FRONT_OFFICE_ROLES, delete: MANAGEMENT },
  /** Merging a duplicate member into another (`merge_members`). */
  member_merges: { create: MANAGEMENT },
  /**
   * Member privacy: `show` is exporting all of a member's data (member_privacy_export: the roles that serve members,
   * audited); `edit` is anonymising a member on request (anonymise_member: managers of the home unit, admins).
   */
  member_privacy: { show: PERSONAL_DATA_ROLES, edit: ["manager", "admin"] },
  /** Pending points (待入账) and returns of purchases (`return_transaction`: the front office of the unit). */
  pending_points: { list: ALL_ROLES, create: FRONT_OFFICE_ROLES },
  /** Freezing, unfreezing and cancelling a member (`set_member_status`; SQL scopes it to the home unit). */
  member_status: { edit: MANAGEMENT },
  /**
   * Stored-value cards: front office issues, recharges, consumes, refunds, freezes and replaces (the card
   * functions check the unit and the caps); analysts read cards and the consumption report.
   */
  stored_value_cards: { list: [...FRONT_OFFICE_ROLES, "analyst"], show: [...FRONT_OFFICE_ROLES, "analyst"], create: FRONT_OFFICE_ROLES, edit: FRONT_OFFICE_ROLES },
  /** 柜台核销: find a member, verify a benefit's use, redeem a coupon at the user's unit. */
  counter: { list: COUNTER_ROLES },
  /**
   * Members' benefit grants and their uses (the member 360 page's 权益 tab); `create` is asking for a manual grant,
   * which goes through approval (flow benefit-grant): nobody grants directly. RLS: every staff user reads them.
   */
  benefit_grants: { list: ALL_ROLES, show: ALL_ROLES, create: GRANT_REQUEST_ROLES },
  /**
   * 权益配置: benefit definitions. A benefit carries value, so only administrators write drafts and publish them
   * (RLS: admins write benefit drafts; publish_benefit); marketing and those who ask for grants read them (and
   * ask for a grant to a list of members from a benefit's page).
   */
  benefit_definitions: { list: BENEFIT_READERS, show: BENEFIT_READERS, create: ["admin"], edit: ["admin"] },
  business_units: { list: ALL_ROLES, show: ALL_ROLES, create: ["admin"], edit: ["admin"], delete: ["admin"] },
  tiers: { list: ALL_ROLES, show: ALL_ROLES, create: ["admin"], edit: ["admin"] },
  /** Paid memberships on sale (tier_offers): administrators set them. */
  tier_offers: { list: ALL_ROLES, create: ["admin"], edit: ["admin"], delete: ["admin"] },
  /** Selling a paid membership (`sell_tier_membership`; SQL checks the unit as for postings). */
  tier_purchases: { list: ALL_ROLES, create: FRONT_OFFICE_ROLES },
  /** Approval centre: front office submits requests and follows them, drafters follow their publish requests; approvers decide (the database decides who). */
  approvals: { list: [...FRONT_OFFICE_ROLES, "marketing"], show: [...FRONT_OFFICE_ROLES, "marketing"], create: FRONT_OFFICE_ROLES },
  /** Approval flows (the flow editor) and whether publishing needs approval: administrators (RLS: drafts only). */
  approval_flows: { list: ["admin"], show: ["admin"], create: ["admin"], edit: ["admin"] },
  /** Dashboards: managers and up read them (RLS: shared ones and their own); analysts and admins build them. */
  dashboards: { list: ["analyst", "director", "manager", "admin"], show: ["analyst", "director", "manager", "admin"], create: ["analyst", "admin"], edit: ["analyst", "admin"] },
  /** Reports (consumption, expired points, liability): `edit` is confirming a month's write-off of expired points (confirm_expired_period). */
  reports: { list: ["analyst", "director", "manager", "admin"], show: ["analyst", "director", "manager", "admin"], edit: ["director", "admin"] },
  /** Reopening a confirmed month of the expired-points write-off (reopen_expired_period). */
  finance_periods: { edit: ["admin"] },
  /**
   * 结算: statements between business units (settlement_statements, settlement_matrix, settlement_unit_report);
   * `edit` is confirming or disputing one's statement (decide_settlement_statement).
   */
  settlement_statements: { list: SETTLEMENT_READERS, show: SETTLEMENT_READERS, edit: SETTLEMENT_DECIDERS },
  /** Closing a settlement month (close_settlement_period: group-wide finance only; SQL checks the scope). */
  settlement_periods: { list: SETTLEMENT_READERS, edit: ["finance", "admin"] },
  /** Posting a joint campaign cost shared among units (post_campaign_cost: the paying unit's finance or group finance). */
  settlement_campaign_costs: { create: ["finance", "admin"] },
  staff: { list: ["admin"], show: ["admin"], create: ["admin"], edit: ["admin"], delete: ["admin"] },
  audit_log: { list: ["admin", "director"], show: ["admin", "director"] },
  /** 接口密钥: unit API keys (create_api_key, rotate_api_key, revoke_api_key check the same: administrators). */
  api_keys: { list: ["admin"], create: ["admin"], edit: ["admin"] },
  /**
   * 通知模板: messages to members per event, channel and language. Marketing and admins save new versions
   * (save_notification_template); directors read them (RLS: marketing, directors, admins).
   */
  notification_templates: { list: ["marketing", "director", "admin"], show: ["marketing", "director", "admin"], edit: ["marketing", "admin"] },
  /**
   * 批量导入: the wizard and the imports made (RLS: one's own, admins all). Each import is checked against the roles
   * that create its target's rows (private.assert_import_access): members, transactions, point adjustments, entities.
   */
  imports: { list: FRONT_OFFICE_ROLES, create: FRONT_OFFICE_ROLES },
  /** Outbound webhooks, their delivery log and replay: administrators (RLS and the webhook functions). */
  webhook_subscriptions: { list: ["admin"], show: ["admin"], create: ["admin"], edit: ["admin"] },
  /** Form and entity builders: drafters open it; `create` and `edit` are entities (administrators). */
  builder: { list: DRAFTERS, show: DRAFTERS, create: ["admin"], edit: ["admin"] },
  /** Form drafts in the builder. */
  form_definitions: { list: DRAFTERS, show: DRAFTERS, create: DRAFTERS, edit: DRAFTERS },
  /** Rules center: rules, rule sets, what-if runs; drafters write drafts and run what-ifs. */
  rules: { list: ["admin", "director", "analyst", "marketing"], show: ["admin", "director", "analyst", "marketing"], create: DRAFTERS, edit: DRAFTERS },
  /** The engine's administration: expiry runs, rule sets' combination, resuming suspended rules, retrying parked earnings. */
  rule_operations: { edit: ["admin"] },
  /** 营销: the menu group of segments, campaigns and customer care, shown to whoever may open one of them. */
  marketing_menu: { list: [...new Set([...SEGMENT_READERS, ...CARE_READERS, ...CAMPAIGN_READERS])] },
  /**
   * 客群: segments (segment_definitions). Drafters write drafts and publish them, through approval when the setting
   * says so; directors and analysts read them and their members (segment_member_ids).
   */
  segments: { list: SEGMENT_READERS, show: SEGMENT_READERS, create: DRAFTERS, edit: DRAFTERS },
  /**
   * 客户关怀: birthday and anniversary reminders, care tasks and follow-ups of a unit (RLS: the unit's staff and
   * managers, group-wide directors and marketing); `create` is recording a follow-up (record_followup: the unit's staff).
   */
  care_tasks: { list: CARE_READERS, show: CARE_READERS, create: [...COUNTER_ROLES, "admin"] },
  /** What opens care tasks (a tag or a segment, per unit): marketing staff and administrators. */
  care_triggers: { list: [...COUNTER_ROLES, "director", "marketing", "admin"], create: DRAFTERS, edit: DRAFTERS },
  /**
   * 营销活动: campaigns. Drafters save drafts and submit them (flow campaign-launch: a manager of the paying unit, and a
   * director above a budget, approve); readers see them and campaign_results; `delete` is cancel_campaign.
   */
  campaigns: { list: CAMPAIGN_READERS, show: CAMPAIGN_READERS, create: CAMPAIGN_DRAFTERS, edit: CAMPAIGN_DRAFTERS, delete: CAMPAIGN_CANCELLERS },
  /** Publishing a draft directly (others submit it for approval: flow definition-publish). */
  definition_publish: { create: ["admin"] },
} satisfies Record<string, AccessRules>;

export type Subject = keyof typeof ACCESS_MATRIX;

/** Rights a new entity gets until its author changes them (admins always have all). */
export const DEFAULT_ENTITY_PERMISSIONS = {
  list: ["staff", "manager", "director", "analyst"],
  create: ["staff", "manager", "director"],
  edit: ["staff", "manager", "director"],
  delete: [],
} as const satisfies Record<"list" | "create" | "edit" | "delete", readonly Role[]>;
