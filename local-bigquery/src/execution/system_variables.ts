/**
 * BigQuery's system variables (@@error, @@project_id, @@row_count, ...) in statements of a script.
 * ZetaSQL's service cannot be handed system variable values, so a statement reading one is sent
 * with `@@name` spelled `__name` (same length: every position in the text stays valid) and the
 * value travels as a named constant of that name.
 */
import type { AstNode, EngineConstant } from "../engine";
import { BigQueryError } from "../errors";
import type { Field, Value } from "../model";
import { SqlText, rangeOf, walk } from "./sql_text";

/** STRUCT<message, stack_trace ARRAY<STRUCT<line, column, filename, location>>, statement_text, formatted_stack_trace>. */
const ERROR_FIELD: Field = {
  name: "error",
  type: "RECORD",
  mode: "NULLABLE",
  fields: [
    { name: "message", type: "STRING", mode: "NULLABLE" },
    {
      name: "stack_trace",
      type: "RECORD",
      mode: "REPEATED",
      fields: [
        { name: "line", type: "INTEGER", mode: "NULLABLE" },
        { name: "column", type: "INTEGER", mode: "NULLABLE" },
        { name: "filename", type: "STRING", mode: "NULLABLE" },
        { name: "location", type: "STRING", mode: "NULLABLE" },
      ],
    },
    { name: "statement_text", type: "STRING", mode: "NULLABLE" },
    { name: "formatted_stack_trace", type: "STRING", mode: "NULLABLE" },
  ],
};

/** What an exception handler sees as @@error: the error caught and the statement that raised it. */
export interface CaughtError {
  error: unknown;
  /** The error's message as @@error.message shows it. */
  message: string;
  statementText: string;
}

export interface SystemValues {
  projectId: string;
  datasetId?: string;
  /** Rows the last DML statement of the script changed (@@row_count); absent before any. */
  rowCount?: number;
  /** The innermost exception handler's error, while one runs. */
  caught?: CaughtError;
}

/** The message of an error as @@error.message shows it (a RAISE's message as written). */
export function caughtMessage(error: unknown): string {
  if (error instanceof RaisedError) return error.raised;
  return error instanceof Error ? error.message : String(error);
}

/** The error RAISE USING MESSAGE throws: its message carries the RAISE's position, @@error.message the text alone. */
export class RaisedError extends BigQueryError {
  constructor(
    readonly raised: string,
    position: string,
  ) {
    super("invalidQuery", `${raised}${position}`, "query");
  }
}

function errorValue(caught: CaughtError): Value {
  const at = / at \[(\d+):(\d+)\]/.exec(caught.message);
  const trace: Value = at ? [[at[1], at[2], null, null]] : [];
  const formatted = at ? `At ${at[1]}:${at[2]}` : "";
  return [caught.message.replace(/ at \[\d+:\d+\]$/, ""), trace, caught.statementText, formatted];
}

function constantFor(name: string, values: SystemValues): EngineConstant | undefined {
  const scalar = (type: Field["type"], value: Value): EngineConstant => ({ name: `__${name}`, field: { type, mode: "NULLABLE" }, value });
  switch (name) {
    case "error":
      return values.caught ? { name: "__error", field: ERROR_FIELD, value: errorValue(values.caught) } : undefined;
    case "project_id":
      return scalar("STRING", values.projectId);
    case "dataset_id":
      return scalar("STRING", values.datasetId ?? null);
    case "time_zone":
      return scalar("STRING", "UTC");
    case "row_count":
      return scalar("INTEGER", values.rowCount === undefined ? null : String(values.rowCount));
    default:
      return undefined;
  }
}

/**
 * `text` with every system variable that `ast` (a statement or expression located in `text`)
 * reads and that has a value spelled as its constant, and those constants.
 */
export function withSystemVariables(text: SqlText, ast: unknown, values: SystemValues): { text: SqlText; constants: EngineConstant[] } {
  const constants = new Map<string, EngineConstant>();
  const edits: number[] = [];
  walk(ast, (node: AstNode, key) => {
    if (key !== "astSystemVariableExprNode") return;
    const first = ((node.path as AstNode | undefined)?.names as { idString?: string }[] | undefined)?.[0]?.idString?.toLowerCase();
    const at = rangeOf(node);
    const constant = first ? constantFor(first, values) : undefined;
    if (!constant || !at) return;
    constants.set(constant.name, constant);
    edits.push(at.start);
  });
  if (edits.length === 0) return { text, constants: [] };
  const bytes = Buffer.from(text.bytes);
  for (const at of edits) if (bytes[at] === 0x40 && bytes[at + 1] === 0x40) bytes.write("__", at, "utf8");
  return { text: new SqlText(bytes.toString("utf8")), constants: [...constants.values()] };
}
