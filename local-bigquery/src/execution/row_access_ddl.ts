/**
 * Row access policy DDL: CREATE [OR REPLACE] ROW ACCESS POLICY [IF NOT EXISTS] p ON t
 * [GRANT TO ('user:...', ...)] FILTER USING (predicate), DROP ROW ACCESS POLICY [IF EXISTS] p ON t,
 * and DROP ALL ROW ACCESS POLICIES ON t. The policies are those of the REST resource (row_access.ts).
 */
import type { AstNode } from "../engine";
import { BigQueryError, invalidQuery } from "../errors";
import type { StatementType } from "./executor";
import type { DdlOutcome } from "./ddl";
import { runQuery } from "./query_runner";
import { deletePolicies, putPolicy } from "./row_access";
import { SqlText, pathSegments, quoteIdentifier, rangeOf } from "./sql_text";
import type { Deps } from "./statement_tables";
import { resolveTableName, tableKey, type StatementScope } from "./table_names";

export const ROW_ACCESS_STATEMENTS: Record<string, StatementType> = {
  astCreateRowAccessPolicyStatementNode: "CREATE_ROW_ACCESS_POLICY",
  astDropRowAccessPolicyStatementNode: "DROP_ROW_ACCESS_POLICY",
  astDropAllRowAccessPoliciesStatementNode: "DROP_ALL_ROW_ACCESS_POLICIES",
};

const nameOf = (path: unknown): string => (pathSegments(path) ?? []).join(".");

export async function rowAccessPolicyStatement(
  deps: Deps,
  scope: StatementScope,
  text: SqlText,
  kind: string,
  node: AstNode,
  dryRun: boolean,
): Promise<DdlOutcome> {
  const statementType = ROW_ACCESS_STATEMENTS[kind];
  const ref = resolveTableName(pathSegments(kind === "astCreateRowAccessPolicyStatementNode" ? node.targetPath : node.tableName) ?? [], scope);
  if (kind === "astDropAllRowAccessPoliciesStatementNode") {
    if (!dryRun) await deletePolicies(deps.store, ref, undefined);
    return { statementType, target: ref, bytes: 0, operation: "DROP" };
  }
  const policyId = nameOf(node.name);
  if (kind === "astDropRowAccessPolicyStatementNode") {
    const ifExists = node.isIfExists === true;
    const removed = dryRun ? 1 : await deletePolicies(deps.store, ref, [policyId], { ifExists });
    return { statementType, target: ref, bytes: 0, operation: removed > 0 ? "DROP" : "SKIP" };
  }
  const predicateRange = rangeOf((node.filterUsing as AstNode | undefined)?.predicate);
  if (!predicateRange) throw invalidQuery("CREATE ROW ACCESS POLICY needs FILTER USING (predicate)");
  const filterPredicate = text.slice(predicateRange);
  const granteeNodes = (((node.grantTo as AstNode | undefined)?.granteeList as AstNode | undefined)?.granteeList as AstNode[] | undefined) ?? [];
  const grantees = granteeNodes.map((g) => {
    const literal = (g.astLeafNode as AstNode | undefined)?.astStringLiteralNode as { stringValue?: string } | undefined;
    if (literal?.stringValue === undefined) throw invalidQuery("GRANT TO takes string literals naming IAM members, e.g. 'user:alice@example.com'");
    return literal.stringValue;
  });
  await checkPredicate(deps, scope, tableKey(ref), filterPredicate);
  const mode = { replace: node.isOrReplace === true, ifNotExists: node.isIfNotExists === true };
  if (dryRun) return { statementType, target: ref, bytes: 0, operation: "CREATE" };
  const outcome = await putPolicy(deps.store, ref, { policyId, filterPredicate, grantees }, { ...mode, now: Date.now() });
  return { statementType, target: ref, bytes: 0, operation: outcome.replaced ? "REPLACE" : outcome.created ? "CREATE" : "SKIP" };
}

/** The predicate must be a BOOL over the table's columns: analysed as a dry-run query filtered by it. */
async function checkPredicate(deps: Deps, scope: StatementScope, table: string, predicate: string): Promise<void> {
  const sql = `SELECT 1 FROM ${quoteIdentifier(table)} WHERE (${predicate}\n)`;
  try {
    await runQuery(deps, { ...scope, variables: new Map() }, new SqlText(sql), { dryRun: true });
  } catch (error) {
    if (!(error instanceof BigQueryError)) throw error;
    throw new BigQueryError(error.reason, `Invalid row access policy filter: ${error.message.replace(/ at \[\d+:\d+\]/g, "")}`, error.location, error.status);
  }
}
