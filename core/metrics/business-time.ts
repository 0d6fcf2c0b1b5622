/**
 * The group's business time zone: dashboards and reports bucket days in it. SQL states the same in
 * private.business_time_zone() (tests/db/registry-parity.test.ts compares).
 */
export const BUSINESS_TIME_ZONE = "Asia/Shanghai";
