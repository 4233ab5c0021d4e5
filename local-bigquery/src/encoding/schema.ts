/** REST table schemas (tables.insert, tables.patch) to model Fields and back. */
import { z } from "zod";
import { invalid } from "../errors";
import { FIELD_TYPE_ALIASES, type Field, type FieldMode } from "../model";

export interface RestField {
  name: string;
  type: string;
  mode?: string;
  fields?: RestField[];
  description?: string;
  maxLength?: string;
  precision?: string;
  scale?: string;
  roundingMode?: string;
  defaultValueExpression?: string;
  [other: string]: unknown;
}

/** int64 attributes come as JSON strings or numbers; they are kept as strings, as BigQuery returns them. */
const int64 = z.union([z.string().regex(/^\d+$/), z.number().int().nonnegative()]).transform(String).optional();

const restField: z.ZodType<RestField> = z.lazy(() =>
  z
    .object({
      name: z.string(),
      type: z.string(),
      mode: z.string().optional(),
      fields: z.array(restField).optional(),
      description: z.string().optional(),
      maxLength: int64,
      precision: int64,
      scale: int64,
      roundingMode: z.string().optional(),
      defaultValueExpression: z.string().optional(),
    })
    // Other attributes (collation, policyTags, dataPolicies, ...) are kept and echoed as given.
    .passthrough(),
) as z.ZodType<RestField>;

const KNOWN = new Set(["name", "type", "mode", "fields", "description", "maxLength", "precision", "scale", "roundingMode", "defaultValueExpression", "rangeElementType"]);
const restSchema = z.object({ fields: z.array(restField).optional() }).optional();

const FIELD_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,299}$/;
const MODES: FieldMode[] = ["NULLABLE", "REQUIRED", "REPEATED"];

/** Validates a REST schema; throws 400 invalid naming the offending field. */
export function parseRestSchema(input: unknown): Field[] {
  const parsed = restSchema.safeParse(input);
  if (!parsed.success) throw invalid(`Invalid table schema: ${parsed.error.issues[0]?.message ?? "malformed"}`, "schema");
  return toFields(parsed.data?.fields ?? [], "");
}

function toFields(fields: RestField[], prefix: string): Field[] {
  const seen = new Set<string>();
  return fields.map((f) => {
    const path = prefix + f.name;
    if (!FIELD_NAME.test(f.name)) {
      throw invalid(
        `Invalid field name "${f.name}". Fields must contain only letters, numbers, and underscores, start with a letter or underscore, and be at most 300 characters long.`,
        path,
      );
    }
    if (seen.has(f.name.toLowerCase())) throw invalid(`Field ${path} already exists in schema`, path);
    seen.add(f.name.toLowerCase());
    const type = FIELD_TYPE_ALIASES[f.type.toUpperCase()];
    if (!type) throw invalid(`Invalid value for type: ${f.type} is not a valid value`, path);
    const mode = (f.mode ?? "NULLABLE").toUpperCase() as FieldMode;
    if (!MODES.includes(mode)) throw invalid(`Invalid value for mode: ${f.mode} is not a valid value`, path);
    const field: Field = { name: f.name, type, mode };
    if (f.mode === undefined) field.modeOmitted = true;
    if (f.maxLength !== undefined) {
      if (type !== "STRING" && type !== "BYTES") throw invalid(`maxLength applies to STRING and BYTES fields only, not ${path}`, path);
      field.maxLength = f.maxLength;
    }
    if (f.precision !== undefined || f.scale !== undefined) {
      if (type !== "NUMERIC" && type !== "BIGNUMERIC") throw invalid(`precision and scale apply to NUMERIC and BIGNUMERIC fields only, not ${path}`, path);
      if (f.precision !== undefined) field.precision = f.precision;
      if (f.scale !== undefined) field.scale = f.scale;
    }
    if (f.roundingMode !== undefined) field.roundingMode = f.roundingMode;
    if (type === "RANGE") {
      const element = (f.rangeElementType as { type?: unknown } | undefined)?.type;
      const upper = typeof element === "string" ? element.toUpperCase() : "";
      if (upper !== "DATE" && upper !== "DATETIME" && upper !== "TIMESTAMP") {
        throw invalid(`Field ${path} is type RANGE but its rangeElementType is not DATE, DATETIME or TIMESTAMP`, path);
      }
      field.rangeElementType = { type: upper };
    }
    if (f.defaultValueExpression !== undefined) field.defaultValueExpression = f.defaultValueExpression;
    const extra = Object.fromEntries(Object.entries(f).filter(([k]) => !KNOWN.has(k)));
    if (Object.keys(extra).length > 0) field.extra = extra;
    if (type === "RECORD") {
      if (!f.fields?.length) throw invalid(`Field ${path} is type RECORD but has no schema`, path);
      field.fields = toFields(f.fields, `${path}.`);
    }
    if (f.description !== undefined) field.description = f.description;
    return field;
  });
}

/** Fields as BigQuery returns them: as the client gave them (no mode where it gave none), attributes kept. */
export function schemaToRest(fields: Field[]): RestField[] {
  return fields.map((f) => {
    const out: RestField = { name: f.name, type: f.type };
    if (!f.modeOmitted) out.mode = f.mode;
    if (f.fields) out.fields = schemaToRest(f.fields);
    if (f.description !== undefined) out.description = f.description;
    if (f.maxLength !== undefined) out.maxLength = f.maxLength;
    if (f.precision !== undefined) out.precision = f.precision;
    if (f.scale !== undefined) out.scale = f.scale;
    if (f.roundingMode !== undefined) out.roundingMode = f.roundingMode;
    if (f.defaultValueExpression !== undefined) out.defaultValueExpression = f.defaultValueExpression;
    if (f.rangeElementType !== undefined) out.rangeElementType = { ...f.rangeElementType };
    return { ...f.extra, ...out };
  });
}

/**
 * BigQuery's rules for a schema update (tables.patch/update): fields keep their
 * type, may gain descriptions, REQUIRED may relax to NULLABLE, and new NULLABLE or
 * REPEATED fields are added (records included). Stored rows are positional, so
 * existing fields keep their order and new ones go at the end.
 */
export function mergeSchemaUpdate(current: Field[], next: Field[], table: string, prefix = ""): Field[] {
  const find = (list: Field[], name: string): Field | undefined => list.find((f) => f.name.toLowerCase() === name.toLowerCase());
  const kept = current.map((old) => {
    const path = prefix + old.name;
    const n = find(next, old.name);
    if (!n) throw invalid(`Provided Schema does not match Table ${table}. Field ${path} is missing in new schema`);
    if (old.type !== n.type) {
      throw invalid(`Provided Schema does not match Table ${table}. Field ${path} has changed type from ${old.type} to ${n.type}`);
    }
    if (old.mode !== n.mode && !(old.mode === "REQUIRED" && n.mode === "NULLABLE")) {
      throw invalid(`Provided Schema does not match Table ${table}. Field ${path} has changed mode from ${old.mode} to ${n.mode}`);
    }
    const merged: Field = { ...n, name: old.name };
    if (old.fields && n.fields) merged.fields = mergeSchemaUpdate(old.fields, n.fields, table, `${path}.`);
    return merged;
  });
  const added = next.filter((n) => !find(current, n.name));
  for (const n of added) {
    if (n.mode === "REQUIRED") {
      throw invalid(`Provided Schema does not match Table ${table}. Cannot add required field ${prefix}${n.name}`);
    }
  }
  return [...kept, ...added];
}
