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
/** A published rule failing this many times within RULE_SUSPEND_WINDOW_MINUTES is suspended (private.engine_limits()). */
export const RULE_SUSPEND_AFTER_FAILURES = 3;
export const RULE_SUSPEND_WINDOW_MINUTES = 10;
/** Failed attempts at evaluating one transaction before it is parked as failed (private.engine_limits()). */
export const EARN_MAX_ATTEMPTS = 5;
/** Heap of the thread that evaluates rule batches (earning, tagging, reminders), MB (a runaway rule ends that thread, not the engine). */
export const EVALUATION_HEAP_MB = 256;
/** Longest an evaluation thread may take per item of a batch (a transaction, member or lot) before it is ended, ms. */
export const EVALUATION_TIMEOUT_MS = 5_000;
/** Heap of each what-if worker thread, MB. */
export const WHAT_IF_HEAP_MB = 512;
/** Longest a what-if run may take before its threads are ended and the run fails, ms. */
export const WHAT_IF_TIMEOUT_MS = 600_000;
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
/** Longest reason a user gives for a change, a redemption or a decision (the SQL functions check the same). */
export const MAX_REASON_LENGTH = 500;
/** Largest growth value one transaction may add (private.tier_limits(); the growth rules' result is capped to it). */
export const MAX_GROWTH_PER_EVENT = 1_000_000;
/** Largest upgrade gift of a tier, in points (tiers.upgrade_gift_points). */
export const MAX_UPGRADE_GIFT_POINTS = 100_000;
/** Highest price of one paid membership offer, in fen (tier_offers.price_fen). */
export const MAX_TIER_OFFER_PRICE_FEN = 10_000_000;
/** Longest a paid tier may run ahead of now, in months (a purchase extending past it is refused). */
export const MAX_PAID_TIER_MONTHS_AHEAD = 24;
/** Bulk import (private.import_limits()): rows per batch sent to import_batch, rows per import, file name length. */
export const IMPORT_MAX_BATCH_ROWS = 1000;
export const IMPORT_MAX_ROWS = 200_000;
export const IMPORT_MAX_FILE_NAME_LENGTH = 200;
