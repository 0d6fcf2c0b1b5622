import { DEFAULT_CONTEXT } from "../rules/operations.ts";

/**
 * The group's business time zone: the calendar in which rules read dates (stated once, in core/rules), and
 * dashboards and reports bucket days. SQL states the same in private.business_time_zone()
 * (tests/db/metrics-parity.test.ts compares).
 */
export const BUSINESS_TIME_ZONE = DEFAULT_CONTEXT.timeZone;
