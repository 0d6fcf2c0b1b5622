// Entry of a what-if worker thread: registers tsx (the project runs its TypeScript through tsx, and loaders
// of the main thread do not reach worker threads), then runs what-if-worker.ts.
import { register } from "tsx/esm/api";

register();
await import("./what-if-worker.ts");
