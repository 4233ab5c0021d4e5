/**
 * BigQuery schema fields <-> ZetaSQL TypeProto. BigQuery's REPEATED mode is
 * ZetaSQL's ARRAY type, RECORD is STRUCT.
 */
import { unsupported } from "../errors";
import { FIELD_TYPE_ALIASES, type Field, type FieldType, type ParameterType } from "../model";

export interface TypeProto {
  typeKind: string;
  arrayType?: { elementType: TypeProto };
  structType?: { field?: { fieldName?: string; fieldType: TypeProto }[] };
  rangeType?: { elementType: TypeProto };
}

const SCALAR_KIND: Record<Exclude<FieldType, "RECORD" | "RANGE">, string> = {
  STRING: "TYPE_STRING",
  BYTES: "TYPE_BYTES",
  INTEGER: "TYPE_INT64",
  FLOAT: "TYPE_DOUBLE",
  NUMERIC: "TYPE_NUMERIC",
  BIGNUMERIC: "TYPE_BIGNUMERIC",
  BOOLEAN: "TYPE_BOOL",
  TIMESTAMP: "TYPE_TIMESTAMP",
  DATE: "TYPE_DATE",
  TIME: "TYPE_TIME",
  DATETIME: "TYPE_DATETIME",
  JSON: "TYPE_JSON",
  GEOGRAPHY: "TYPE_GEOGRAPHY",
  INTERVAL: "TYPE_INTERVAL",
};

const FIELD_TYPE: Record<string, FieldType> = Object.fromEntries(
  Object.entries(SCALAR_KIND).map(([field, kind]) => [kind, field as FieldType]),
);


/** The ZetaSQL type of one value of a field, ignoring its mode. */
export function elementTypeOf(field: Pick<Field, "type" | "fields" | "rangeElementType">): TypeProto {
  if (field.type === "RECORD") {
    return {
      typeKind: "TYPE_STRUCT",
      structType: { field: (field.fields ?? []).map((f) => ({ fieldName: f.name, fieldType: typeOf(f) })) },
    };
  }
  if (field.type === "RANGE") return rangeTypeOf(field.rangeElementType?.type);
  return { typeKind: SCALAR_KIND[field.type] };
}

/** RANGE<element>: BigQuery allows DATE, DATETIME and TIMESTAMP elements. */
function rangeTypeOf(element: string | undefined): TypeProto {
  const kind = element === undefined ? undefined : RANGE_ELEMENTS[element.toUpperCase()];
  if (!kind) throw unsupported(`A RANGE needs an element type of DATE, DATETIME or TIMESTAMP, not ${element ?? "none"}`);
  return { typeKind: "TYPE_RANGE", rangeType: { elementType: { typeKind: kind } } };
}

const RANGE_ELEMENTS: Record<string, string> = { DATE: "TYPE_DATE", DATETIME: "TYPE_DATETIME", TIMESTAMP: "TYPE_TIMESTAMP" };

/** The ZetaSQL type of a field's cell: REPEATED becomes ARRAY. */
export function typeOf(field: Pick<Field, "type" | "fields" | "mode" | "rangeElementType">): TypeProto {
  const element = elementTypeOf(field);
  return field.mode === "REPEATED" ? { typeKind: "TYPE_ARRAY", arrayType: { elementType: element } } : element;
}

/** A schema field for a column of ZetaSQL type `type`; throws for types a BigQuery schema cannot hold. */
export function fieldOf(name: string, type: TypeProto): Field {
  if (type.typeKind === "TYPE_ARRAY") {
    const element = type.arrayType?.elementType as TypeProto;
    if (element.typeKind === "TYPE_ARRAY") {
      throw unsupported(`Cannot produce column ${name}: BigQuery does not support arrays of arrays`);
    }
    return { ...fieldOf(name, element), mode: "REPEATED" };
  }
  if (type.typeKind === "TYPE_STRUCT") {
    const fields = (type.structType?.field ?? []).map((f, i) => fieldOf(f.fieldName || `_field_${i + 1}`, f.fieldType));
    return { name, type: "RECORD", mode: "NULLABLE", fields };
  }
  if (type.typeKind === "TYPE_RANGE") {
    const element = FIELD_TYPE[type.rangeType?.elementType.typeKind ?? ""];
    if (element === "DATE" || element === "DATETIME" || element === "TIMESTAMP") return { name, type: "RANGE", mode: "NULLABLE", rangeElementType: { type: element } };
  }
  const fieldType = FIELD_TYPE[type.typeKind];
  if (!fieldType) {
    throw unsupported(`Column ${name} has type ${type.typeKind.replace(/^TYPE_/, "")}, which BigQuery tables cannot hold`);
  }
  return { name, type: fieldType, mode: "NULLABLE" };
}

/** A schema type from a GoogleSQL or legacy type name; undefined when unknown. */
export function fieldTypeFromSqlName(name: string): FieldType | undefined {
  return FIELD_TYPE_ALIASES[name.toUpperCase()];
}

/** The ZetaSQL type of a query parameter. */
export function parameterTypeOf(type: ParameterType): TypeProto {
  const name = type.type.toUpperCase();
  if (name === "ARRAY") {
    if (!type.arrayType) throw unsupported("An ARRAY query parameter needs an arrayType");
    return { typeKind: "TYPE_ARRAY", arrayType: { elementType: parameterTypeOf(type.arrayType) } };
  }
  if (name === "RANGE") return rangeTypeOf(type.rangeElementType?.type);
  if (name === "STRUCT" || name === "RECORD") {
    return {
      typeKind: "TYPE_STRUCT",
      structType: {
        field: (type.structTypes ?? []).map((f) => ({ fieldName: f.name ?? "", fieldType: parameterTypeOf(f.type) })),
      },
    };
  }
  const fieldType = FIELD_TYPE_ALIASES[name];
  if (!fieldType || fieldType === "RECORD" || fieldType === "RANGE") throw unsupported(`Unsupported query parameter type: ${type.type}`);
  return { typeKind: SCALAR_KIND[fieldType] };
}

/** GoogleSQL spelling of a ZetaSQL type, for CAST in generated SQL. */
export function sqlTypeName(type: TypeProto): string {
  switch (type.typeKind) {
    case "TYPE_ARRAY":
      return `ARRAY<${sqlTypeName(type.arrayType?.elementType as TypeProto)}>`;
    case "TYPE_STRUCT":
      return `STRUCT<${(type.structType?.field ?? [])
        .map((f) => (f.fieldName ? `\`${f.fieldName}\` ${sqlTypeName(f.fieldType)}` : sqlTypeName(f.fieldType)))
        .join(", ")}>`;
    case "TYPE_DOUBLE":
      return "FLOAT64";
    case "TYPE_RANGE":
      return `RANGE<${sqlTypeName(type.rangeType?.elementType as TypeProto)}>`;
    default:
      return type.typeKind.replace(/^TYPE_/, "");
  }
}
