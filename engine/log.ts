/** The engine's logging: one line per event, to a function the caller chooses (the stack's log, a test's array). */
export interface EngineLog {
  info(line: string): void;
  warn(line: string): void;
  error(line: string): void;
}

export type LogSink = (level: "info" | "warn" | "error", line: string) => void;

export function engineLog(sink?: LogSink, verbose = false): EngineLog {
  const write: LogSink =
    sink ??
    ((level, line) => {
      if (level === "info" && !verbose) return;
      (level === "error" ? console.error : console.log)(`engine: ${line}`);
    });
  return {
    info: (line) => write("info", line),
    warn: (line) => write("warn", line),
    error: (line) => write("error", line),
  };
}
