/**
 * SQL text surgery on byte offsets (ZetaSQL's parse locations are UTF-8 byte
 * offsets): reading parse-tree nodes, replacing ranges, and mapping error
 * positions ("at [line:col]") of rewritten text back to the text the user sent.
 */
import { BigQueryError } from "../errors";
import type { AstNode } from "../engine";

export interface ByteRange {
  start: number;
  end: number;
}

/** The location of a parse-tree node (through `node` wrappers): the first parseLocationRange up its `parent` chain. */
export function rangeOf(node: unknown): ByteRange | undefined {
  let current = node as Record<string, unknown> | undefined;
  while (current && typeof current.node === "string" && current[current.node] && !current.parent) {
    current = current[current.node] as Record<string, unknown>;
  }
  while (current && typeof current === "object") {
    const range = current.parseLocationRange as { start?: number; end?: number } | undefined;
    if (range) return { start: range.start ?? 0, end: range.end ?? 0 };
    current = current.parent as Record<string, unknown> | undefined;
  }
  return undefined;
}

/**
 * Follows the `node` discriminators of a parse-tree wrapper down to the concrete node: kinds outermost first.
 * The node comes flattened: fields of its base classes (nested in `parent`) are lifted to the top.
 */
export function nodeKinds(ast: AstNode): { kinds: string[]; node: AstNode } {
  const kinds: string[] = [];
  let current: AstNode = ast;
  while (typeof current.node === "string" && current[current.node]) {
    kinds.push(current.node);
    current = current[current.node] as AstNode;
  }
  return { kinds, node: flatten(current) };
}

/** A node with the fields of its `parent` chain lifted up (the `parent` itself kept, for locations). */
export function flatten(node: AstNode): AstNode {
  const out: AstNode = { parent: node.parent };
  let current: AstNode | undefined = node;
  while (current && typeof current === "object") {
    for (const [k, v] of Object.entries(current)) if (k !== "parent" && !(k in out)) out[k] = v;
    current = current.parent as AstNode | undefined;
  }
  return out;
}

/** Calls visit on every object in a parse tree (depth first); visit returns false to skip a subtree. */
export function walk(node: unknown, visit: (obj: AstNode, key: string) => boolean | void, key = ""): void {
  if (Array.isArray(node)) {
    for (const item of node) walk(item, visit, key);
  } else if (node && typeof node === "object") {
    if (visit(node as AstNode, key) === false) return;
    for (const [k, v] of Object.entries(node)) walk(v, visit, k);
  }
}

/** The identifier segments of a path node ({names:[{idString}]}, possibly under a wrapper). */
export function pathSegments(node: unknown): string[] | undefined {
  let current = node as AstNode | undefined;
  for (let i = 0; i < 3 && current; i++) {
    if (Array.isArray(current.names)) return (current.names as { idString?: string }[]).map((n) => n.idString ?? "");
    current = typeof current.node === "string" ? (current[current.node] as AstNode) : undefined;
  }
  return undefined;
}

export class SqlText {
  readonly bytes: Buffer;

  constructor(readonly text: string) {
    this.bytes = Buffer.from(text, "utf8");
  }

  slice(range: ByteRange): string {
    return this.bytes.subarray(range.start, range.end).toString("utf8");
  }

  /** The text from `start` to the end, as a new SqlText (for statements of a script). */
  sub(range: ByteRange): SqlText {
    return new SqlText(this.slice(range));
  }
}

/** Text spliced in from elsewhere (a view's SQL): where it starts in the replacement, and how it was itself rewritten. */
export interface Spliced {
  /** Byte offset of the spliced text within the replacement. */
  at: number;
  rewritten: RewrittenSql;
  /** Named in errors located inside it, e.g. the view `p.d.v`. */
  label: string;
}

/** An offset in some text other than the one the user sent: inside a spliced view's SQL. */
export interface ElsewhereOffset {
  label: string;
  text: SqlText;
  offset: number;
}

interface Edit extends ByteRange {
  replacement: Buffer;
  spliced?: Spliced;
}

/** A text with some byte ranges replaced; maps offsets of the result back to the original. */
export class RewrittenSql {
  private readonly edits: Edit[] = [];

  constructor(readonly original: SqlText) {}

  replace(range: ByteRange, replacement: string, spliced?: Spliced): void {
    if (this.edits.some((e) => e.start < range.end && range.start < e.end)) return; // overlapping: keep the first
    this.edits.push({ ...range, replacement: Buffer.from(replacement, "utf8"), spliced });
  }

  get changed(): boolean {
    return this.edits.length > 0;
  }

  text(): string {
    const sorted = [...this.edits].sort((a, b) => a.start - b.start);
    const parts: Buffer[] = [];
    let at = 0;
    for (const edit of sorted) {
      parts.push(this.original.bytes.subarray(at, edit.start), edit.replacement);
      at = edit.end;
    }
    parts.push(this.original.bytes.subarray(at));
    return Buffer.concat(parts).toString("utf8");
  }

  /** An offset in text() to the matching offset of the original (inside a replacement: its start). */
  toOriginal(offset: number): number {
    const located = this.locate(offset);
    return typeof located === "number" ? located : located.start;
  }

  /**
   * Where an offset of text() comes from: an offset of the original, or, inside spliced text,
   * an offset of that text (through its own rewrites) with `start` its place in the original.
   */
  locate(offset: number): number | (ElsewhereOffset & { start: number }) {
    const sorted = [...this.edits].sort((a, b) => a.start - b.start);
    let shift = 0;
    for (const edit of sorted) {
      const newStart = edit.start + shift;
      if (offset < newStart) break;
      const newEnd = newStart + edit.replacement.length;
      if (offset < newEnd) {
        const spliced = edit.spliced;
        const inner = spliced ? offset - newStart - spliced.at : -1;
        if (!spliced || inner < 0 || inner > Buffer.byteLength(spliced.rewritten.text())) return edit.start;
        const deeper = spliced.rewritten.locate(inner);
        return typeof deeper === "number"
          ? { label: spliced.label, text: spliced.rewritten.original, offset: deeper, start: edit.start }
          : { ...deeper, start: edit.start };
      }
      shift += edit.replacement.length - (edit.end - edit.start);
    }
    return offset - shift;
  }
}

const TAB = 8;

/** ZetaSQL's 1-based line and column of a byte offset (tabs advance to the next multiple of 8). */
export function lineColumnOf(text: SqlText, offset: number): { line: number; column: number } {
  const before = text.bytes.subarray(0, offset).toString("utf8");
  const lines = before.split(/\r\n|\n|\r/);
  let column = 0;
  for (const ch of lines[lines.length - 1]) column = ch === "\t" ? (Math.floor(column / TAB) + 1) * TAB : column + 1;
  return { line: lines.length, column: column + 1 };
}

/** The byte offset of a 1-based line and column (the inverse of lineColumnOf). */
export function offsetOf(text: SqlText, line: number, column: number): number {
  const lines = text.text.split(/(?<=\r\n|\n|\r)/);
  let offset = 0;
  for (let i = 0; i < line - 1 && i < lines.length; i++) offset += Buffer.byteLength(lines[i]);
  const current = lines[line - 1] ?? "";
  let col = 1;
  let bytes = 0;
  for (const ch of current) {
    if (col >= column || ch === "\n" || ch === "\r") break;
    col = ch === "\t" ? Math.floor((col - 1) / TAB + 1) * TAB + 1 : col + 1;
    bytes += Buffer.byteLength(ch);
  }
  return offset + bytes;
}

/**
 * Rewrites the "at [l:c]" positions in an error raised for `sent` (the text ZetaSQL saw)
 * into positions of `target`, where `sent` byte offset o corresponds to target offset toTarget(o).
 */
export function remapErrorPositions(
  error: unknown,
  sent: SqlText,
  target: SqlText,
  toTarget: (offset: number) => number | ElsewhereOffset,
): unknown {
  if (!(error instanceof BigQueryError) || !/ at \[\d+:\d+\]/.test(error.message)) return error;
  let elsewhere: string | undefined;
  const message = error.message.replace(/ at \[(\d+):(\d+)\]/g, (_, l: string, c: string) => {
    const located = toTarget(offsetOf(sent, Number(l), Number(c)));
    const text = typeof located === "number" ? target : located.text;
    const offset = typeof located === "number" ? located : located.offset;
    const position = lineColumnOf(text, Math.max(0, Math.min(offset, text.bytes.length)));
    if (typeof located === "number") return ` at [${position.line}:${position.column}]`;
    // BigQuery's form for a position in a view's SQL; it is not a position in any enclosing text.
    elsewhere = located.label;
    return ` at [${located.label}:${position.line}:${position.column}]`;
  });
  const prefixed = elsewhere && !message.startsWith("in view ") ? `in view ${elsewhere}: ${message}` : message;
  return new BigQueryError(error.reason, prefixed, error.location, error.status);
}

/** Runs fn, mapping error positions of `sent` back to `target`. */
export async function withPositions<T>(
  sent: SqlText,
  target: SqlText,
  toTarget: (offset: number) => number | ElsewhereOffset,
  fn: () => Promise<T>,
): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    throw remapErrorPositions(error, sent, target, toTarget);
  }
}

export const quoteIdentifier = (name: string): string => "`" + name.replace(/\\/g, "\\\\").replace(/`/g, "\\`") + "`";
