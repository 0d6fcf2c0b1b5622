import { createClient } from "@supabase/supabase-js";

const url = import.meta.env.VITE_SUPABASE_URL as string | undefined;
const anonKey = import.meta.env.VITE_SUPABASE_ANON_KEY as string | undefined;

/** Set when the build has no Supabase project: main.tsx shows it instead of a broken app. */
export const supabaseConfigError: string | null = !url || !anonKey ? "missing VITE_SUPABASE_URL / VITE_SUPABASE_ANON_KEY" : null;

/** The one Supabase client of the app: PostgREST, auth (session in localStorage, auto-refresh). */
export const supabaseClient = createClient(url || "http://127.0.0.1:54321", anonKey || "missing-anon-key", {
  auth: { persistSession: true, autoRefreshToken: true, detectSessionInUrl: false },
  db: { schema: "public" },
});
