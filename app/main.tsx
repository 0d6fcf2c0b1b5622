import "@refinedev/antd/dist/reset.css";
import "./antd-react19";
import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import "./i18n";
import i18n from "./i18n";
import { App } from "./App";
import { supabaseConfigError } from "./providers/supabase-client";

const root = createRoot(document.getElementById("root")!);

if (supabaseConfigError) {
  root.render(<p style={{ padding: 24, fontFamily: "sans-serif" }}>{i18n.t("app.configMissing")}</p>);
} else {
  root.render(
    <StrictMode>
      <App />
    </StrictMode>,
  );
}
