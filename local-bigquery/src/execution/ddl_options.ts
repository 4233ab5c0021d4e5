/** OPTIONS(...) lists and column definitions of resolved DDL statements, in BigQuery's metadata terms. */
import type { AstNode } from "../engine";
import { fieldOf, type TypeProto } from "../engine/types";
import { fromValueProto, type ValueProto } from "../engine/values";
import { invalidQuery } from "../errors";
import type { Field, Value } from "../model";

export interface OptionValue {
  type: TypeProto;
  value: Value;
}

/** name -> literal value of a resolved option list; a non-literal value is refused plainly. */
export function optionValues(list: unknown): Map<string, OptionValue> {
  const out = new Map<string, OptionValue>();
  for (const option of (list as { name?: string; value?: AstNode }[] | undefined) ?? []) {
    const name = (option.name ?? "").toLowerCase();
    const literal = option.value?.resolvedLiteralNode as { value?: { type: TypeProto; value: ValueProto } } | undefined;
    if (!literal?.value) {
      throw invalidQuery(`OPTIONS(${name}=...) must be a literal value in the local BigQuery`);
    }
    out.set(name, { type: literal.value.type, value: fromValueProto(literal.value.value ?? {}, literal.value.type) });
  }
  return out;
}

export function stringOption(options: Map<string, OptionValue>, name: string): string | undefined {
  const option = options.get(name);
  if (!option || option.value === null) return undefined;
  if (typeof option.value !== "string") throw invalidQuery(`OPTIONS(${name}=...) must be a STRING`);
  return option.value;
}

/** labels=[("k","v"), ...] as a record. */
export function labelsOption(options: Map<string, OptionValue>): Record<string, string> | undefined {
  const option = options.get("labels");
  if (!option || option.value === null) return undefined;
  const labels: Record<string, string> = {};
  for (const pair of option.value as Value[]) {
    if (!Array.isArray(pair) || pair.length !== 2 || typeof pair[0] !== "string") {
      throw invalidQuery('OPTIONS(labels=...) must be an array of ("key", "value") pairs');
    }
    labels[pair[0]] = String(pair[1] ?? "");
  }
  return labels;
}

/** Any other option as plain JSON (numbers and booleans as such), kept in TableMeta.options. */
export function plainOption(option: OptionValue): unknown {
  const kind = option.type.typeKind;
  if (option.value === null) return null;
  if (kind === "TYPE_BOOL") return option.value === "true";
  if (kind === "TYPE_INT64" || kind === "TYPE_DOUBLE" || kind === "TYPE_NUMERIC") return Number(option.value);
  return option.value;
}

interface Annotations {
  notNull?: boolean;
  optionList?: unknown;
  childList?: Annotations[];
  /** STRING(10), NUMERIC(10, 2): {stringTypeParameters: {maxLength}} or {numericTypeParameters: {precision, scale}}. */
  typeParameters?: { stringTypeParameters?: { maxLength?: string }; numericTypeParameters?: { precision?: string; scale?: string } };
}

/** A resolved column definition as a schema field: NOT NULL -> REQUIRED, OPTIONS(description), type parameters, DEFAULT. */
export function fieldOfDefinition(definition: { name?: string; type?: TypeProto; annotations?: Annotations; defaultValue?: { sql?: string } }): Field {
  const field = annotate(fieldOf(definition.name ?? "", definition.type as TypeProto), definition.annotations);
  if (definition.defaultValue?.sql !== undefined) field.defaultValueExpression = definition.defaultValue.sql;
  return field;
}

function annotate(field: Field, annotations: Annotations | undefined): Field {
  if (!annotations) return field;
  const out: Field = { ...field };
  if (annotations.notNull && out.mode !== "REPEATED") out.mode = "REQUIRED";
  const parameters = annotations.typeParameters;
  if (parameters?.stringTypeParameters?.maxLength !== undefined) out.maxLength = String(parameters.stringTypeParameters.maxLength);
  if (parameters?.numericTypeParameters?.precision !== undefined) {
    out.precision = String(parameters.numericTypeParameters.precision);
    if (parameters.numericTypeParameters.scale !== undefined) out.scale = String(parameters.numericTypeParameters.scale);
  }
  const description = stringOption(optionValues(annotations.optionList), "description");
  if (description !== undefined) out.description = description;
  if (out.type === "RECORD" && annotations.childList && out.fields) {
    // An ARRAY<STRUCT> column annotates its element first.
    const children = out.mode === "REPEATED" && annotations.childList.length === 1 && out.fields.length !== 1
      ? annotations.childList[0].childList ?? []
      : annotations.childList;
    out.fields = out.fields.map((f, i) => annotate(f, children[i]));
  }
  return out;
}
