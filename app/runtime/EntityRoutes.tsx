import { Route, Routes } from "react-router";
import { EntityCreate } from "./pages/create";
import { EntityEdit } from "./pages/edit";
import { EntityList } from "./pages/list";
import { EntityShow } from "./pages/show";

/** Pages generated from the published entity definitions, mounted at `/e/:entity/*`. */
export function EntityRoutes() {
  return (
    <Routes>
      <Route index element={<EntityList />} />
      <Route path="create" element={<EntityCreate />} />
      <Route path="edit/:id" element={<EntityEdit />} />
      <Route path="show/:id" element={<EntityShow />} />
    </Routes>
  );
}
