/**
 * Structured JSON logs in the shape Cloud Logging reads from stdout:
 * `severity`, `message`, `time`, and per request `logging.googleapis.com/trace`
 * (from X-Cloud-Trace-Context) and a request id. One line per request, never per row.
 */
import pino, { type Logger } from "pino";

// pino's levels mapped onto Cloud Logging's LogSeverity names.
const SEVERITY: Record<string, string> = {
  trace: "DEBUG",
  debug: "DEBUG",
  info: "INFO",
  warn: "WARNING",
  error: "ERROR",
  fatal: "CRITICAL",
};

/** The process-wide logger; `destination` is for tests that read the lines. */
export const createLogger = (level: string, destination?: pino.DestinationStream): Logger =>
  pino(
    {
      level,
      messageKey: "message",
      base: undefined,
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ severity: SEVERITY[label] ?? "DEFAULT" }) },
    },
    destination,
  );

/** `X-Cloud-Trace-Context: TRACE_ID/SPAN_ID;o=1` as Cloud Logging's trace fields. */
export const traceFields = (header: string | undefined, projectId: string): Record<string, string | boolean> => {
  const m = header ? /^([0-9a-fA-F]{32})(?:\/(\d+))?(?:;o=([01]))?/.exec(header) : null;
  if (!m) return {};
  const fields: Record<string, string | boolean> = { "logging.googleapis.com/trace": `projects/${projectId}/traces/${m[1]}` };
  if (m[2]) fields["logging.googleapis.com/spanId"] = m[2];
  if (m[3]) fields["logging.googleapis.com/trace_sampled"] = m[3] === "1";
  return fields;
};
