/**
 * Row-level security: a table's row access policies (kept in its metadata), who they grant, and
 * the filter a query applies. Once a table has any policy, BigQuery shows a caller only the rows
 * of the policies granted to them (no policy granted: no rows); a reference to the table is read
 * as `(SELECT * FROM t WHERE (p1) OR (p2))`, also under views (authorized ones too: BigQuery
 * filters by the querying user there as well).
 *
 * The local BigQuery has one caller (it ignores credentials): a person at the keyboard. It is
 * every `user:` and `group:` grantee, every `domain:`, `allUsers` and `allAuthenticatedUsers`;
 * it is no service account (`serviceAccount:`), nor any other kind of principal. So a policy
 * granted to a user applies to the local caller, and one granted only to a service account (the
 * deployed code) hides its rows from it.
 */
import { BigQueryError, duplicate, invalidQuery, notFound } from "../errors";
import type { RowAccessPolicy, TableMeta, TableRef } from "../model";
import type { Store } from "../storage/store";

const CALLER_KINDS = ["user:", "group:", "domain:"];

/** Whether the local BigQuery's caller is this IAM member. */
export function callerIsGrantee(grantee: string): boolean {
  const g = grantee.trim();
  if (g === "allUsers" || g === "allAuthenticatedUsers") return true;
  return CALLER_KINDS.some((kind) => g.toLowerCase().startsWith(kind));
}

/**
 * The condition a query puts on a table's rows: undefined when the table has no policy, FALSE when
 * none is granted to the caller, else the granted policies' predicates joined by OR.
 */
export function rowFilter(meta: TableMeta): string | undefined {
  const policies = meta.rowAccessPolicies ?? [];
  if (policies.length === 0) return undefined;
  const granted = policies.filter((p) => p.grantees.some(callerIsGrantee));
  // Each predicate ends on its own line: a trailing line comment must not swallow the rest.
  return granted.length === 0 ? "FALSE" : granted.map((p) => `(${p.filterPredicate}\n)`).join(" OR ");
}

/**
 * BigQuery's "TRUE filter": operations other than queries (DML, tabledata.list, copying the table)
 * need every row, which a caller has only when the table has no policy or one with FILTER USING
 * (TRUE) is granted to it.
 */
export function requireFullAccess(meta: TableMeta, operation: string): void {
  const policies = meta.rowAccessPolicies ?? [];
  if (policies.length === 0) return;
  if (policies.some((p) => /^\s*\(*\s*TRUE\s*\)*\s*$/i.test(p.filterPredicate) && p.grantees.some(callerIsGrantee))) return;
  const { projectId, datasetId, tableId } = meta.ref;
  throw new BigQueryError(
    "accessDenied",
    `Access Denied: Table ${projectId}:${datasetId}.${tableId}: ${operation} needs access to all of the table's rows, which its row access policies ` +
      `grant only with a policy FILTER USING (TRUE) granted to the caller`,
  );
}

const POLICY_ID = /^[A-Za-z_][A-Za-z0-9_]{0,255}$/;

export const policyLabel = (ref: TableRef, policyId: string): string => `${ref.projectId}:${ref.datasetId}.${ref.tableId}.${policyId}`;

export const policyNotFound = (ref: TableRef, policyId: string): BigQueryError =>
  notFound(`Not found: Row access policy ${policyId} on table ${ref.projectId}:${ref.datasetId}.${ref.tableId}`);

function requireBaseTable(store: Store, ref: TableRef): TableMeta {
  const meta = store.getTable(ref);
  if (!meta) throw notFound(`Not found: Table ${ref.projectId}:${ref.datasetId}.${ref.tableId}`);
  if (meta.type !== "TABLE") throw invalidQuery(`Row access policies can only be created on tables; ${ref.projectId}:${ref.datasetId}.${ref.tableId} is a view`);
  if (meta.snapshot) throw invalidQuery(`Row access policies cannot be created on table snapshots: ${ref.projectId}:${ref.datasetId}.${ref.tableId}`);
  return meta;
}

export function checkPolicyId(policyId: string): void {
  if (!POLICY_ID.test(policyId)) {
    throw invalidQuery(`Invalid row access policy id "${policyId}": it must start with a letter or underscore and hold at most 256 letters, digits and underscores`);
  }
}

export function getPolicy(store: Store, ref: TableRef, policyId: string): RowAccessPolicy {
  const policy = requireBaseTable(store, ref).rowAccessPolicies?.find((p) => p.policyId === policyId);
  if (!policy) throw policyNotFound(ref, policyId);
  return policy;
}

export function listPolicies(store: Store, ref: TableRef): RowAccessPolicy[] {
  return [...(requireBaseTable(store, ref).rowAccessPolicies ?? [])].sort((a, b) => (a.policyId < b.policyId ? -1 : a.policyId > b.policyId ? 1 : 0));
}

/**
 * Stores a policy. replace: an existing one of that id is replaced (keeping its creation time);
 * ifNotExists: an existing one is kept and false returned; otherwise an existing one is a duplicate.
 */
export async function putPolicy(
  store: Store,
  ref: TableRef,
  policy: Omit<RowAccessPolicy, "creationTime" | "lastModifiedTime">,
  mode: { replace?: boolean; ifNotExists?: boolean; now: number },
): Promise<{ policy: RowAccessPolicy; created: boolean; replaced: boolean }> {
  checkPolicyId(policy.policyId);
  const meta = requireBaseTable(store, ref);
  const policies = meta.rowAccessPolicies ?? [];
  const existing = policies.find((p) => p.policyId === policy.policyId);
  if (existing && mode.ifNotExists && !mode.replace) return { policy: existing, created: false, replaced: false };
  if (existing && !mode.replace) throw duplicate(`Already Exists: Row access policy ${policyLabel(ref, policy.policyId)}`);
  const stored: RowAccessPolicy = { ...policy, creationTime: existing?.creationTime ?? mode.now, lastModifiedTime: mode.now };
  const next = existing ? policies.map((p) => (p === existing ? stored : p)) : [...policies, stored];
  // A policy is not a change of the table's data or schema: its lastModifiedTime stays.
  await store.updateTable(ref, { rowAccessPolicies: next, lastModifiedTime: meta.lastModifiedTime });
  return { policy: stored, created: !existing, replaced: existing !== undefined };
}

/** Removes policies (all of them when ids is undefined); returns how many were removed. Unknown ids: notFound unless ifExists. */
export async function deletePolicies(store: Store, ref: TableRef, ids: string[] | undefined, opts: { ifExists?: boolean } = {}): Promise<number> {
  const meta = requireBaseTable(store, ref);
  const policies = meta.rowAccessPolicies ?? [];
  if (ids && !opts.ifExists) {
    const missing = ids.find((id) => !policies.some((p) => p.policyId === id));
    if (missing !== undefined) throw policyNotFound(ref, missing);
  }
  const next = ids ? policies.filter((p) => !ids.includes(p.policyId)) : [];
  if (next.length === policies.length) return 0;
  await store.updateTable(ref, { rowAccessPolicies: next, lastModifiedTime: meta.lastModifiedTime });
  return policies.length - next.length;
}
