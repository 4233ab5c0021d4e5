/**
 * ZetaSQL's resolved AST as the Analyze RPC returns it (proto JSON) is wrapped twice: each oneof of
 * a node family is an object naming the concrete node (`{ resolvedFunctionCallBaseNode: {
 * resolvedFunctionCallNode: {...}, node: "resolvedFunctionCallNode" } }`), and every node keeps
 * its base class fields under `parent`. normalize() flattens both: a node becomes one object with
 * `kind` (e.g. "FunctionCall") and all its own and inherited fields.
 */
import type { TypeProto } from "../types";

export interface Node {
  kind: string;
  [field: string]: unknown;
}

export interface ResolvedColumn {
  columnId: string;
  tableName: string;
  name: string;
  type: TypeProto;
}

const NODE_KEY = /^resolved(\w+)Node$/;

function flatten(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(flatten);
  // Bytes (NUMERIC, BYTES literals) stay Buffers.
  if (value === null || typeof value !== "object" || value instanceof Uint8Array) return value;
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record).filter((k) => k !== "node");
  // A oneof wrapper: exactly one resolvedXNode key (plus its "node" discriminator).
  if (keys.length === 1 && NODE_KEY.test(keys[0])) {
    const inner = flatten(record[keys[0]]) as Record<string, unknown>;
    const kind = (NODE_KEY.exec(keys[0]) as RegExpExecArray)[1];
    // The innermost wrapper names the concrete node; outer ones name its abstract bases.
    return typeof inner.kind === "string" && !inner.kind.endsWith("Base") ? inner : { ...inner, kind };
  }
  const out: Record<string, unknown> = {};
  for (const key of keys) {
    if (key === "parent") Object.assign(out, flatten(record[key]));
    else out[key] = flatten(record[key]);
  }
  return out;
}

export function normalize(resolved: Record<string, unknown>): Node {
  return flatten(resolved) as Node;
}

export const child = (node: Node, field: string): Node | undefined => node[field] as Node | undefined;
export const children = (node: Node, field: string): Node[] => (node[field] as Node[] | undefined) ?? [];
export const columnsOf = (node: Node, field = "columnList"): ResolvedColumn[] =>
  (node[field] as ResolvedColumn[] | undefined) ?? [];
