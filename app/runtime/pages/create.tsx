import { EntityForm } from "../components/EntityForm";
import { useEntityPage } from "../components/useEntityPage";

export function EntityCreate() {
  const { definition, fallback } = useEntityPage();
  return definition ? <EntityForm key={definition.id} definition={definition} action="create" /> : fallback;
}
