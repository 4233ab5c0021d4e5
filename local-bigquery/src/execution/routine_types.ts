/** Routine types: the REST API's StandardSqlDataType <-> ZetaSQL's TypeProto, and routine names. */
import { sqlTypeName, typeOf, type TypeProto } from "../engine/types";
import { invalidQuery } from "../errors";
import type { Field, ParameterType, RoutineRef, StandardSqlDataType, Value } from "../model";
import type { StatementScope } from "./table_names";

/** TypeProto kinds whose StandardSqlDataType name differs from the kind without its TYPE_ prefix. */
const RENAMED: Record<string, string> = { TYPE_DOUBLE: "FLOAT64" };
const RENAMED_BACK: Record<string, string> = { FLOAT64: "TYPE_DOUBLE", FLOAT: "TYPE_DOUBLE", INTEGER: "TYPE_INT64", BOOLEAN: "TYPE_BOOL" };

export function standardSqlType(type: TypeProto): StandardSqlDataType {
  if (type.typeKind === "TYPE_ARRAY") return { typeKind: "ARRAY", arrayElementType: standardSqlType(type.arrayType?.elementType as TypeProto) };
  if (type.typeKind === "TYPE_STRUCT") {
    return { typeKind: "STRUCT", structType: { fields: (type.structType?.field ?? []).map((f) => ({ name: f.fieldName, type: standardSqlType(f.fieldType) })) } };
  }
  return { typeKind: RENAMED[type.typeKind] ?? type.typeKind.replace(/^TYPE_/, "") };
}

export function typeProto(type: StandardSqlDataType): TypeProto {
  const kind = type.typeKind.toUpperCase();
  if (kind === "ARRAY") {
    if (!type.arrayElementType) throw invalidQuery("An ARRAY type needs its arrayElementType");
    return { typeKind: "TYPE_ARRAY", arrayType: { elementType: typeProto(type.arrayElementType) } };
  }
  if (kind === "STRUCT") {
    return { typeKind: "TYPE_STRUCT", structType: { field: (type.structType?.fields ?? []).map((f) => ({ fieldName: f.name ?? "", fieldType: typeProto(f.type) })) } };
  }
  return { typeKind: RENAMED_BACK[kind] ?? `TYPE_${kind}` };
}

/** A routine's name as written (`p.d.r`, `d.r`, one identifier with dots) to its reference; one part needs a default dataset. */
export function resolveRoutineName(segments: string[], scope: Pick<StatementScope, "projectId" | "defaultDataset">): RoutineRef {
  const p = segments.flatMap((s) => s.split("."));
  if (p.length === 3) return { projectId: p[0], datasetId: p[1], routineId: p[2] };
  if (p.length === 2) return { projectId: scope.projectId, datasetId: p[0], routineId: p[1] };
  if (p.length === 1 && scope.defaultDataset) return { ...scope.defaultDataset, routineId: p[0] };
  throw invalidQuery(`Routine name "${segments.join(".")}" must be qualified with a dataset (e.g. dataset.name)`);
}

export const routineKey = (ref: RoutineRef): string => `${ref.projectId}.${ref.datasetId}.${ref.routineId}`;

/** The query parameter type of a value of `field`'s type. */
export function parameterTypeOf(field: Pick<Field, "type" | "mode" | "fields">): ParameterType {
  if (field.mode === "REPEATED") return { type: "ARRAY", arrayType: parameterTypeOf({ ...field, mode: "NULLABLE" }) };
  if (field.type === "RECORD") return { type: "STRUCT", structTypes: (field.fields ?? []).map((f) => ({ name: f.name, type: parameterTypeOf(f) })) };
  return { type: sqlTypeName(typeOf(field)) };
}

/** Every way a statement may spell a routine's name (a project-less path only in its own project). */
export function routinePaths(ref: RoutineRef, projectId: string): string[][] {
  const { projectId: p, datasetId: d, routineId: r } = ref;
  const paths = [[p, d, r], [`${p}.${d}.${r}`], [`${p}.${d}`, r], [p, `${d}.${r}`]];
  if (p === projectId) paths.push([d, r], [`${d}.${r}`]);
  return paths;
}

/** A GoogleSQL literal of a canonical value (model.ts's Value) of `field`'s type: exact, and valid where parameters are not (a view's body). */
export function sqlLiteral(value: Value, field: Pick<Field, "type" | "mode" | "fields">): string {
  const type = sqlTypeName(typeOf(field));
  if (value === null) return `CAST(NULL AS ${type})`;
  if (field.mode === "REPEATED") {
    const element = { ...field, mode: "NULLABLE" as const };
    return `${type}[${(value as Value[]).map((v) => sqlLiteral(v, element)).join(", ")}]`;
  }
  if (field.type === "RECORD") {
    const fields = field.fields ?? [];
    return `CAST(STRUCT(${(value as Value[]).map((v, i) => sqlLiteral(v, fields[i])).join(", ")}) AS ${type})`;
  }
  // JSON's escapes (\", \\, \n, \uXXXX) are GoogleSQL's too.
  const text = JSON.stringify(value);
  switch (field.type) {
    case "STRING":
      return text;
    case "BOOLEAN":
      return value === "true" ? "TRUE" : "FALSE";
    case "TIMESTAMP":
      return `TIMESTAMP_MICROS(${String(value)})`;
    case "BYTES":
      return `FROM_BASE64(${text})`;
    case "JSON":
      return `PARSE_JSON(${text})`;
    default:
      return `CAST(${text} AS ${type})`;
  }
}

/**
 * The paths that do not clash with ZetaSQL's built-in functions in its catalog: a one-part name of a
 * built-in (`net.host`), or a first part naming a built-in namespace (a nested catalog `net` makes
 * ZetaSQL's server abort). Those spellings then mean the built-in, not the routine.
 */
export function withoutBuiltinClashes(paths: string[][], builtins: ReadonlySet<string>): string[][] {
  const namespaces = new Set([...builtins].filter((n) => n.includes(".")).map((n) => n.split(".")[0]));
  return paths.filter((p) => (p.length === 1 ? !builtins.has(p[0].toLowerCase()) : !namespaces.has(p[0].toLowerCase())));
}
