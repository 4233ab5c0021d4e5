/**
 * Conformance fixtures: queries recorded on real BigQuery with their setup and BigQuery's answer
 * (format: /work/shared/conformance/bigquery/README.md). Loading validates every file, so a
 * malformed corpus stops the run with the file and fixture named instead of failing fixtures at random.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { basename, join } from "node:path";
import { z } from "zod";

export interface SchemaField {
  name: string;
  type: string;
  mode?: string;
  fields?: SchemaField[];
  rangeElementType?: { type: string };
}

/** A recorded cell in canonical form: see values.ts for each type's form. */
export type Cell = string | number | boolean | null | Cell[];

const schemaField: z.ZodType<SchemaField> = z.lazy(() =>
  z.object({
    name: z.string(),
    type: z.string(),
    mode: z.string().optional(),
    fields: z.array(schemaField).optional(),
    rangeElementType: z.object({ type: z.string() }).optional(),
  }),
);
const cell: z.ZodType<Cell> = z.lazy(() => z.union([z.string(), z.number(), z.boolean(), z.null(), z.array(cell)]));

const restCall = z.object({ method: z.string(), path: z.string(), body: z.unknown().optional() });
const setupStep = z.union([
  z.object({ sql: z.string() }),
  z.object({ rest: restCall }),
  z.object({ table: z.object({ id: z.string(), schema: z.array(schemaField) }) }),
  z.object({ rows: z.object({ table: z.string(), rows: z.array(z.record(z.string(), z.unknown())) }) }),
]);

const expectedError = z.object({
  reason: z.string().optional(),
  http_status: z.number().optional(),
  message: z.string().optional(),
  message_pattern: z.string().optional(),
});

const fixture = z.object({
  id: z.string(),
  source: z.string().optional(),
  needs_dataset: z.boolean().optional(),
  setup: z.array(setupStep).nullish(),
  query: z.string(),
  params: z.object({ mode: z.enum(["NAMED", "POSITIONAL"]), parameters: z.array(z.unknown()) }).nullish(),
  job_config: z.record(z.string(), z.unknown()).nullish(),
  headers: z.record(z.string(), z.string()).nullish(),
  /** Overrides the ORDER BY rule when present. */
  match: z.enum(["ordered", "unordered"]).optional(),
  expect: z.object({
    schema: z.array(schemaField).optional(),
    rows: z.array(z.array(cell)).optional(),
    job_metadata: z.record(z.string(), z.unknown()).optional(),
    error: expectedError.optional(),
  }),
});

const fixtureFile = z.object({
  source: z.record(z.string(), z.unknown()).optional(),
  fixtures: z.array(fixture),
});

export type SetupStep = z.infer<typeof setupStep>;
export type RestCall = z.infer<typeof restCall>;
export type ExpectedError = z.infer<typeof expectedError>;

export type Fixture = z.infer<typeof fixture> & {
  /** The file it came from (base name). */
  file: string;
  /** Where it is counted: its phase (the middle of "source/phase/name"), else its file without a part number. */
  area: string;
};

const areaOf = (id: string, file: string): string => {
  const parts = id.split("/");
  return parts.length >= 3 ? parts[1] : file.replace(/\.json$/, "").replace(/-\d+$/, "");
};

/** Every fixture in the given folders or files (folders: their *.json, in name order), optionally only ids containing filter. */
export const loadFixtures = (paths: string[], filter = ""): Fixture[] => {
  const files = paths.flatMap((p) =>
    statSync(p).isDirectory()
      ? readdirSync(p)
          .filter((f) => f.endsWith(".json"))
          .sort()
          .map((f) => join(p, f))
      : [p],
  );
  const out: Fixture[] = [];
  const seen = new Set<string>();
  for (const path of files) {
    const parsed = fixtureFile.safeParse(JSON.parse(readFileSync(path, "utf8")));
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new Error(`${path}: not a fixture file (${issue.path.join(".")}: ${issue.message})`);
    }
    const file = basename(path);
    for (const fx of parsed.data.fixtures) {
      // Outcomes are keyed by id in the report and the --json file.
      if (seen.has(fx.id)) throw new Error(`${path}: fixture id ${fx.id} appears twice`);
      seen.add(fx.id);
      if (filter && !fx.id.includes(filter)) continue;
      out.push({ ...fx, file, area: areaOf(fx.id, file) });
    }
  }
  return out;
};

/** ${NAME} placeholders (PROJECT, DATASET, ...) replaced; unknown names are left as they are. */
export const substitute = (text: string, vars: Record<string, string>): string =>
  text.replace(/\$\{([A-Z_][A-Z0-9_]*)\}/g, (whole, name: string) => vars[name] ?? whole);

/** substitute() on every string inside a JSON value (keys included), without re-parsing text. */
export const substituteDeep = (value: unknown, vars: Record<string, string>): unknown => {
  if (typeof value === "string") return substitute(value, vars);
  if (Array.isArray(value)) return value.map((v) => substituteDeep(v, vars));
  if (value && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [substitute(k, vars), substituteDeep(v, vars)]));
  }
  return value;
};
