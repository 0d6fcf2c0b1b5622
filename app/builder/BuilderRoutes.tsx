import { Route, Routes } from "react-router";
import { BuilderIndex } from "./pages/BuilderIndex";
import { DefinitionBuilderPage } from "./pages/DefinitionBuilderPage";

/** The form and entity builders, mounted at `/builder/*` (admins: the `builder` permission). */
export function BuilderRoutes() {
  return (
    <Routes>
      <Route index element={<BuilderIndex />} />
      <Route path="forms/:key" element={<DefinitionBuilderPage kind="forms" />} />
      <Route path="entities/:key" element={<DefinitionBuilderPage kind="entities" />} />
    </Routes>
  );
}
