import type { DashboardDefinition } from "../../../core/dashboards/types.ts";

export type DashboardVisibility = "private" | "shared";

/** A row of public.dashboard_definitions. */
export interface DashboardRow {
  id: string;
  key: string;
  version: number;
  status: "draft" | "published" | "archived";
  definition: DashboardDefinition;
  owner_id: string | null;
  visibility: DashboardVisibility;
  published_at: string | null;
}

export type MetricRow = Record<string, string | number | null>;
