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
