/** Routine types: the REST API's StandardSqlDataType <-> ZetaSQL's TypeProto, and routine names. */
import type { TypeProto } from "../engine/types";
import { invalidQuery } from "../errors";
import type { RoutineRef, StandardSqlDataType } from "../model";
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
