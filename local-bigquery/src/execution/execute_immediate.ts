/**
 * EXECUTE IMMEDIATE sql [INTO var, ...] [USING expr [AS name], ...]: the SQL string is parsed and
 * run as one statement of the script (it sees the script's variables); USING values are its
 * query parameters (named with AS, else positional); INTO takes the columns of its only row.
 */
import type { AstNode } from "../engine";
import { typeOf, sqlTypeName } from "../engine/types";
import { invalidQuery } from "../errors";
import type { QueryParameter, Value } from "../model";
import { runStatements, type Frame, type ScriptState } from "./procedural";
import { parameterTypeOf } from "./routine_types";
import { evaluate, splitStatements, type ParsedStatement } from "./script";
import { SqlText, rangeOf } from "./sql_text";

export async function executeImmediate(state: ScriptState, frame: Frame, statement: ParsedStatement): Promise<void> {
  const { node } = statement;
  const sqlRange = rangeOf(node.sql);
  if (!sqlRange) throw invalidQuery("EXECUTE IMMEDIATE needs a SQL string");
  const { value: sql } = await evaluate(state.deps, frame.scope, frame.text.slice(sqlRange), "STRING", { text: frame.text, start: sqlRange.start });
  if (typeof sql !== "string" || sql.trim() === "") throw invalidQuery("EXECUTE IMMEDIATE needs a SQL string; it was NULL or empty");

  const params: QueryParameter[] = [];
  for (const argument of ((node.usingClause as AstNode | undefined)?.arguments as AstNode[] | undefined) ?? []) {
    const range = rangeOf(argument.expression);
    if (!range) continue;
    const { field, value } = await evaluate(state.deps, frame.scope, frame.text.slice(range), undefined, { text: frame.text, start: range.start });
    const name = ((argument.alias as AstNode | undefined)?.identifier as { idString?: string } | undefined)?.idString;
    params.push({ name, type: parameterTypeOf(field), value });
  }
  if (params.some((p) => p.name) && params.some((p) => !p.name)) {
    throw invalidQuery("EXECUTE IMMEDIATE cannot mix named (AS name) and positional USING arguments");
  }

  const text = new SqlText(sql);
  const statements = await splitStatements(state.deps.engine, text);
  if (statements.length !== 1) throw invalidQuery(`EXECUTE IMMEDIATE runs one statement; this SQL holds ${statements.length}`);
  const inner: Frame = { text, scope: { ...frame.scope, params } };
  const before = state.last;
  const flow = await runStatements(state, inner, [statements[0].ast]);
  if (flow) throw invalidQuery("EXECUTE IMMEDIATE cannot run BREAK, CONTINUE or RETURN");

  const into = (((node.intoClause as AstNode | undefined)?.identifiers as AstNode | undefined)?.identifierList as { idString?: string }[] | undefined) ?? [];
  if (into.length === 0) return;
  const result = state.last !== before ? state.last : undefined;
  if (!result?.schema) throw invalidQuery("EXECUTE IMMEDIATE ... INTO needs a query that returns rows");
  const rows = result.rows ?? [];
  if (rows.length > 1) throw invalidQuery(`EXECUTE IMMEDIATE ... INTO expects at most one row; the query returned ${rows.length}`);
  if (result.schema.length !== into.length) {
    throw invalidQuery(`EXECUTE IMMEDIATE ... INTO names ${into.length} variables but the query returns ${result.schema.length} columns`);
  }
  for (const [i, identifier] of into.entries()) {
    const name = identifier.idString ?? "";
    const variable = frame.scope.variables.get(name.toLowerCase());
    if (!variable) throw invalidQuery(`Undeclared variable: ${name}`);
    const value: Value = rows[0]?.[i] ?? null;
    const type = sqlTypeName(typeOf(variable.field));
    const same = sqlTypeName(typeOf(result.schema[i])) === type;
    const cast = same
      ? value
      : (await evaluate(state.deps, { ...frame.scope, params: [{ name: "v", type: parameterTypeOf(result.schema[i]), value }] }, "@v", type)).value;
    frame.scope.variables.set(name.toLowerCase(), { ...variable, value: cast });
  }
}
