/** What a scalar function's DuckDB form receives, and helpers shared by the function families. */
import type { TypeProto } from "../types";
import type { Node } from "./resolved_ast";
import { refuse } from "./unsupported";

export interface Call {
  /** Compiled arguments. */
  args: string[];
  /** Their GoogleSQL types. */
  types: TypeProto[];
  /** The call's result type. */
  result: TypeProto;
  /** Enum arguments (date parts) by position, read from their literals. */
  enums: (number | undefined)[];
  /** The arguments' resolved nodes (for literal patterns and formats). */
  nodes: Node[];
}

export type Form = (call: Call) => string;

export const kind = (t: TypeProto | undefined): string => t?.typeKind ?? "";

export const onlyTypes =
  (allowed: string[], form: Form): Form =>
  (call) =>
    call.types.every((t) => allowed.includes(kind(t))) ? form(call) : refuse(`argument types ${call.types.map(kind).join(", ")}`);

/** The text of a non-NULL STRING literal argument, else undefined. */
export function stringLiteral(node: Node | undefined): string | undefined {
  if (!node || node.kind !== "Literal") return undefined;
  const value = (node.value as { value?: { stringValue?: string; value?: string } } | undefined)?.value;
  return value?.value === "stringValue" ? (value.stringValue ?? "") : undefined;
}

/** The value of a non-NULL INT64 literal argument, else undefined. */
export function intLiteral(node: Node | undefined): bigint | undefined {
  if (!node || node.kind !== "Literal") return undefined;
  const value = (node.value as { value?: { int64Value?: string } } | undefined)?.value;
  return value?.int64Value === undefined ? undefined : BigInt(value.int64Value);
}

export const STRINGS = ["TYPE_STRING"];
export const INTS = ["TYPE_INT64"];
