import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";

// The app reads its Supabase project from SUPABASE_URL / SUPABASE_ANON_KEY (hosted mode) or from the
// values `npm start` passes for the local stack. Nothing else is baked in.
export default defineConfig({
  root: "app",
  plugins: [react()],
  define: {
    "import.meta.env.VITE_SUPABASE_URL": JSON.stringify(process.env.SUPABASE_URL ?? "http://127.0.0.1:54321"),
    "import.meta.env.VITE_SUPABASE_ANON_KEY": JSON.stringify(process.env.SUPABASE_ANON_KEY ?? ""),
  },
  server: { host: "127.0.0.1", strictPort: true },
  // Imported lazily (spreadsheet export, the import worker): bundled at start, so their first use never reloads the page.
  optimizeDeps: { include: ["exceljs", "papaparse"] },
  // The import wizard's worker loads exceljs lazily: an ES module worker can split it out.
  worker: { format: "es" },
  preview: { host: "127.0.0.1", strictPort: true },
  build: { outDir: "../dist", emptyOutDir: true, chunkSizeWarningLimit: 4000 },
});
