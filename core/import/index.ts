/** Bulk import: targets, column mapping, conversion and checks shared by the wizard, tests and bench:import. */
export * from "./convert.ts";
export * from "./mapping.ts";
export * from "./targets.ts";
export * from "./validate.ts";
