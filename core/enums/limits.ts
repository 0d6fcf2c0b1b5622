/** Numeric limits the database enforces; the UI and the engine check the same before asking it. */

/** Largest amount of one purchase, in yuan (record_transaction refuses more). */
export const MAX_TRANSACTION_YUAN = 10_000_000;
/** Longest order number (transactions.order_no). */
export const MAX_ORDER_NO_LENGTH = 64;
/** Largest points one rule may give for one event. */
export const MAX_RULE_POINTS = 1_000_000_000;
/** Largest points one lot may hold (point_lots.original_points is an int). */
export const MAX_LOT_POINTS = 2_000_000_000;
/** Rule priority range (rules.priority). */
export const RULE_PRIORITY_MIN = -1_000_000;
export const RULE_PRIORITY_MAX = 1_000_000;
/** Days a what-if run may replay (what_if_runs.days). */
export const WHAT_IF_MAX_DAYS = 3660;
/** Rule keys one what-if run may compare (what_if_runs.rule_keys). */
export const WHAT_IF_MAX_RULES = 100;
/** Longest rule problem message kept (rule_errors.message). */
export const MAX_RULE_MESSAGE_LENGTH = 2000;
/** Largest manual earn (an administrator's earn_points call); points otherwise come from transactions through the rules. */
export const MAX_MANUAL_EARN_POINTS = 10_000;
/** Minutes a business time (occurred_at) may lie ahead of the database clock: client clock skew. */
export const MAX_FUTURE_SKEW_MINUTES = 5;
/** Days a user may date a purchase or an earn back; the system (engine, demo seed) replays older history. */
export const MAX_BACKDATE_DAYS = 90;
/** Years ahead a lot may expire. */
export const MAX_EXPIRY_YEARS = 10;
/** Longest idempotency key a user may choose (stored prefixed by the business unit it posts for). */
export const MAX_CLIENT_IDEMPOTENCY_KEY_LENGTH = 160;
