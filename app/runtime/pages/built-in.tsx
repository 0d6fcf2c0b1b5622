import { useParams } from "react-router";
import { EntityForm, type EntityFormProps } from "../components/EntityForm";
import { useEntityPage } from "../components/useEntityPage";
import { EntityListView, type EntityListProps } from "./list";

/** The generated list of a built-in entity (members, business units, tiers) under its own menu entry. */
export function BuiltInEntityList({ entity, ...props }: { entity: string } & Omit<EntityListProps, "definition">) {
  const { definition, fallback } = useEntityPage(entity);
  return definition ? <EntityListView key={definition.id} definition={definition} {...props} /> : fallback;
}

/** The generated create or edit page of a built-in entity (the record's id from the route). */
export function BuiltInEntityForm({ entity, ...props }: { entity: string } & Omit<EntityFormProps, "definition" | "id">) {
  const { id } = useParams();
  const { definition, fallback } = useEntityPage(entity);
  return definition ? <EntityForm key={`${definition.id}:${id}`} definition={definition} id={id} {...props} /> : fallback;
}
