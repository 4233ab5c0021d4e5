/**
 * The CLI's options: flags (--port, --data, --host, --log-level) over environment variables
 * (LOCAL_BIGQUERY_PORT, LOCAL_BIGQUERY_DATA, LOCAL_BIGQUERY_HOST, LOCAL_BIGQUERY_LOG_LEVEL) over defaults.
 * Bad values throw OptionsError with a message that names the option.
 */
import { z } from "zod";

export class OptionsError extends Error {}

export interface CliOptions {
  port: number;
  host: string;
  dataDir: string;
  logLevel: LogLevel;
}

export const LOG_LEVELS = ["debug", "info", "warn", "error", "silent"] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

interface OptionSpec<T> {
  flag: string;
  env: string;
  fallback: string;
  schema: z.ZodType<T>;
}

const SPECS = {
  port: {
    flag: "--port",
    env: "LOCAL_BIGQUERY_PORT",
    fallback: "9050",
    schema: z
      .string()
      .regex(/^\d+$/, "must be a whole number")
      .transform(Number)
      .pipe(z.number().int().min(0, "must be 0-65535").max(65535, "must be 0-65535")),
  } satisfies OptionSpec<number>,
  host: { flag: "--host", env: "LOCAL_BIGQUERY_HOST", fallback: "127.0.0.1", schema: z.string().min(1, "must not be empty") },
  dataDir: { flag: "--data", env: "LOCAL_BIGQUERY_DATA", fallback: ".local-bigquery/", schema: z.string().min(1, "must not be empty") },
  logLevel: {
    flag: "--log-level",
    env: "LOCAL_BIGQUERY_LOG_LEVEL",
    fallback: "info",
    schema: z.enum(LOG_LEVELS, { error: `must be one of ${LOG_LEVELS.join(", ")}` }),
  } satisfies OptionSpec<LogLevel>,
};

export function parseOptions(argv: string[] = process.argv.slice(2), env: NodeJS.ProcessEnv = process.env): CliOptions {
  const flags = new Map<string, string>();
  for (let i = 0; i < argv.length; i++) {
    const [name, inline] = argv[i].split(/=(.*)/s, 2);
    const known = Object.values(SPECS).some((s) => s.flag === name);
    if (!known) throw new OptionsError(`Unknown argument ${argv[i]}. Options: --port N, --host H, --data DIR, --log-level LEVEL`);
    const value = inline ?? argv[++i];
    if (value === undefined) throw new OptionsError(`${name} needs a value`);
    flags.set(name, value);
  }
  const read = <T>(spec: OptionSpec<T>): T => {
    const fromFlag = flags.get(spec.flag);
    const raw = fromFlag ?? env[spec.env] ?? spec.fallback;
    const parsed = spec.schema.safeParse(raw);
    if (!parsed.success) {
      const source = fromFlag !== undefined ? spec.flag : spec.env;
      throw new OptionsError(`Invalid ${source}=${JSON.stringify(raw)}: ${parsed.error.issues[0]?.message ?? "invalid"}`);
    }
    return parsed.data;
  };
  return { port: read(SPECS.port), host: read(SPECS.host), dataDir: read(SPECS.dataDir), logLevel: read(SPECS.logLevel) };
}
