import type { EntityDefinition } from "./definitions";
import { resourceName } from "./entity-data-provider";

/** Which Refine resource serves an entity's pages, through which data provider, under which path. */
export interface EntityRoute {
  resource: string;
  dataProviderName?: "entities";
  path: string;
}

/**
 * Built-in entities (members, business units, tiers) are their own tables and menu entries
 * (`/business-units`...); custom ones live at `/e/<key>` and are served by the entity data provider.
 */
export function entityRoute(definition: Pick<EntityDefinition, "key" | "source_table">): EntityRoute {
  if (definition.source_table) return { resource: definition.source_table, path: `/${definition.key.replace(/_/g, "-")}` };
  return { resource: resourceName(definition.key), dataProviderName: "entities", path: `/e/${definition.key}` };
}
