// Entry of the rule evaluation thread: registers tsx (loaders of the main thread do not reach worker
// threads), then runs evaluation-thread.ts.
import { register } from "tsx/esm/api";

register();
await import("./evaluation-thread.ts");
