import { useParams } from "react-router";
import { EntityForm } from "../components/EntityForm";
import { useEntityPage } from "../components/useEntityPage";

export function EntityEdit() {
  const { id } = useParams();
  const { definition, fallback } = useEntityPage();
  return definition ? <EntityForm key={`${definition.id}:${id}`} definition={definition} action="edit" id={id} /> : fallback;
}
