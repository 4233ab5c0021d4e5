/**
 * Column DEFAULT values, applied as BigQuery does: "when you add a row to a table that doesn't
 * contain data for a column with a default value, the default value is written to the column".
 * DML is rewritten before it runs, so both engines see plain values:
 * - INSERT (and MERGE's INSERT) naming columns adds the omitted ones that have a default, with
 *   their default in every VALUES row, or around its query (`SELECT *, d FROM (query)`);
 * - the DEFAULT keyword in VALUES or in UPDATE SET (also MERGE's) becomes the column's default;
 *   a column without one keeps DEFAULT, which is NULL.
 * Each default is `CAST((expression) AS type)`, evaluated when the statement runs (CURRENT_TIMESTAMP()
 * is the statement's time; RAND() differs row by row).
 * tabledata.insertAll fills omitted fields (rest/insert_defaults.ts) and ALTER TABLE ADD COLUMN
 * ... DEFAULT fills the existing rows (addedColumnDefaults) with the same expressions.
 */
import type { AstNode } from "../engine";
import { sqlTypeName, typeOf } from "../engine/types";
import type { Field, TableMeta } from "../model";
import { RewrittenSql, quoteIdentifier, rangeOf, type SqlText } from "./sql_text";

/** A column's default as an expression of its type. */
export const defaultSql = (field: Field): string => `CAST((${field.defaultValueExpression ?? "NULL"}\n) AS ${sqlTypeName(typeOf(field))})`;

const isDefaultKeyword = (node: unknown): boolean => typeof node === "object" && node !== null && (node as AstNode).node === "astDefaultLiteralNode";

const names = (list: unknown): string[] | undefined =>
  (list as { identifiers?: { idString?: string }[] } | undefined)?.identifiers?.map((i) => i.idString ?? "");

/**
 * The statement with the target's defaults applied, or undefined when nothing changes. `node` is an
 * INSERT, UPDATE or MERGE statement's parse node (flattened).
 */
export function applyColumnDefaults(text: SqlText, node: AstNode, target: TableMeta): RewrittenSql | undefined {
  if (!target.schema.some((f) => f.defaultValueExpression !== undefined)) return undefined;
  const rewritten = new RewrittenSql(text);
  const field = (name: string): Field | undefined => target.schema.find((f) => f.name.toLowerCase() === name.toLowerCase());
  const insert = (columnList: unknown, rows: AstNode[], query: unknown): void => {
    const listed = names(columnList);
    const columns = listed ?? target.schema.map((f) => f.name);
    const omitted = listed ? target.schema.filter((f) => f.defaultValueExpression !== undefined && !listed.some((n) => n.toLowerCase() === f.name.toLowerCase())) : [];
    const listRange = rangeOf(columnList);
    if (omitted.length > 0 && listRange && text.slice(listRange).trim().startsWith("(")) {
      rewritten.replace(listRange, `(${[...columns, ...omitted.map((f) => f.name)].map(quoteIdentifier).join(", ")})`);
    } else if (omitted.length > 0) {
      return; // a form not recognised: left as written (omitted columns are NULL)
    }
    for (const row of rows) {
      const values = (row.values as unknown[] | undefined) ?? [];
      values.forEach((value, i) => {
        const f = field(columns[i] ?? "");
        const range = rangeOf(value);
        if (isDefaultKeyword(value) && f?.defaultValueExpression !== undefined && range) rewritten.replace(range, defaultSql(f));
      });
      const range = rangeOf(row);
      if (omitted.length > 0 && range && text.slice({ start: range.end - 1, end: range.end }) === ")") {
        rewritten.replace({ start: range.end - 1, end: range.end }, `, ${omitted.map(defaultSql).join(", ")})`);
      }
    }
    const queryRange = rangeOf(query);
    if (omitted.length > 0 && queryRange) {
      rewritten.replace({ start: queryRange.start, end: queryRange.start }, `SELECT *, ${omitted.map(defaultSql).join(", ")} FROM (`);
      rewritten.replace({ start: queryRange.end, end: queryRange.end }, "\n)");
    }
  };
  const update = (itemList: unknown): void => {
    for (const item of ((itemList as AstNode | undefined)?.updateItems as AstNode[] | undefined) ?? []) {
      const set = item.setValue as AstNode | undefined;
      const path = (set?.path as AstNode | undefined)?.astPathExpressionNode as { names?: { idString?: string }[] } | undefined;
      const f = path?.names?.length === 1 ? field(path.names[0].idString ?? "") : undefined;
      const range = rangeOf(set?.value);
      if (set && isDefaultKeyword(set.value) && f?.defaultValueExpression !== undefined && range) rewritten.replace(range, defaultSql(f));
    }
  };
  if (node.updateItemList) update(node.updateItemList);
  else if (node.whenClauses) {
    for (const clause of ((node.whenClauses as AstNode).clauseList as AstNode[] | undefined) ?? []) {
      const action = clause.action as AstNode | undefined;
      if (action?.actionType === "UPDATE") update(action.updateItemList);
      // INSERT ROW copies the source row: no column is omitted.
      if (action?.actionType === "INSERT" && action.insertRow) insert(action.insertColumnList, [action.insertRow as AstNode], undefined);
    }
  } else {
    insert(node.columnList, ((node.rows as AstNode | undefined)?.rows as AstNode[] | undefined) ?? [], node.query);
  }
  return rewritten.changed ? rewritten : undefined;
}

/** ALTER TABLE ADD COLUMN c ... DEFAULT e: the existing rows get the default too. The UPDATE to run, if any. */
export function addedColumnDefaults(table: string, added: Field[]): string | undefined {
  const withDefault = added.filter((f) => f.defaultValueExpression !== undefined);
  if (withDefault.length === 0) return undefined;
  return `UPDATE ${quoteIdentifier(table)} SET ${withDefault.map((f) => `${quoteIdentifier(f.name)} = ${defaultSql(f)}`).join(", ")} WHERE TRUE`;
}
