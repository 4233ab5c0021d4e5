/**
 * DDL: CREATE/DROP SCHEMA, CREATE TABLE (column list, AS SELECT, PARTITION BY,
 * CLUSTER BY, OPTIONS), CREATE VIEW, ALTER TABLE, DROP TABLE/VIEW. ZetaSQL
 * analyses the statement; the store holds the result.
 */
import type { AstNode } from "../engine";
import { quoteIdent } from "../engine/duckdb/types";
import { BigQueryError, duplicate, invalidQuery, unsupported } from "../errors";
import type { DatasetMeta, Field, RangePartitioning, Row, TableMeta, TimePartitioning } from "../model";
import type { DdlOperation, StatementType } from "./executor";
import { labelsOption, optionValues, plainOption, stringOption, fieldOfDefinition, type OptionValue } from "./ddl_options";
import { runQuery } from "./query_runner";
import type { WriteTransaction } from "../storage/store";
import { CompilerGap, duckDbError } from "./compiled_query";
import { checkRequired, requiredFieldError } from "./required_columns";
import { RewrittenSql, SqlText, type ByteRange, flatten, nodeKinds, pathSegments, quoteIdentifier, rangeOf, withPositions } from "./sql_text";
import { loadTables, prepareStatement, type Deps } from "./statement_tables";
import { applyColumnAction, setDataTypes, type ColumnChanges } from "./column_changes";
import { checkWritable, createTableCopy } from "./table_copies";
import { addedColumnDefaults } from "./column_defaults";
import { modify } from "./dml";
import {
  datasetNotFound,
  resolveDatasetName,
  resolveTableName,
  tableKey,
  tableNotFound,
  type StatementScope,
} from "./table_names";

export interface DdlOutcome {
  statementType: StatementType;
  target?: TableMeta["ref"];
  bytes: number;
  /** BigQuery's ddlOperationPerformed. */
  operation?: DdlOperation;
  /** The schema the statement defines (CREATE TABLE, CREATE VIEW): its job's results have it, with no rows. */
  schema?: Field[];
}

/** What CREATE did: CREATE, REPLACE, or SKIP (IF NOT EXISTS and the object exists). */
const createOperation = (exists: boolean, mode: { replace: boolean; ifNotExists: boolean }): DdlOperation =>
  !exists ? "CREATE" : mode.replace ? "REPLACE" : "SKIP";

/** The concrete resolved node under the Any*Proto wrappers. */
const resolvedNode = (resolved: AstNode): { kinds: string[]; node: AstNode } =>
  nodeKinds((resolved.resolvedStatement ?? resolved) as AstNode);

const createMode = (node: AstNode): { replace: boolean; ifNotExists: boolean } => ({
  replace: node.createMode === "CREATE_OR_REPLACE",
  ifNotExists: node.createMode === "CREATE_IF_NOT_EXISTS",
});

export async function createSchema(deps: Deps, scope: StatementScope, text: SqlText, dryRun: boolean): Promise<DdlOutcome> {
  const node = flatten(resolvedNode(await deps.engine.analyze(text.text, {})).node);
  const ref = resolveDatasetName(node.namePath as string[], scope);
  const options = optionValues(node.optionList);
  const mode = createMode(node);
  if (dryRun) return { statementType: "CREATE_SCHEMA", bytes: 0, operation: createOperation(deps.store.getDataset(ref) !== undefined, mode) };
  const description = stringOption(options, "description");
  const labels = labelsOption(options);
  const existing = deps.store.getDataset(ref);
  const operation = createOperation(existing !== undefined, mode);
  if (existing && mode.replace) {
    await deps.store.updateDataset(ref, { description, labels });
  } else {
    const now = Date.now();
    const meta: DatasetMeta = {
      ref,
      location: stringOption(options, "location") ?? "US",
      description,
      labels,
      creationTime: now,
      lastModifiedTime: now,
    };
    if (existing && !mode.ifNotExists) throw duplicate(`Already Exists: Dataset ${ref.projectId}:${ref.datasetId}`);
    await deps.store.createDataset(meta, { ifNotExists: mode.ifNotExists });
  }
  return { statementType: "CREATE_SCHEMA", bytes: 0, operation };
}

export async function createTableOrView(
  deps: Deps,
  requestScope: StatementScope,
  text: SqlText,
  ast: AstNode,
  dryRun: boolean,
): Promise<DdlOutcome> {
  const { kinds, node: astNode } = nodeKinds(ast);
  const materialized = kinds.includes("astCreateMaterializedViewStatementNode");
  const isView = kinds.includes("astCreateViewStatementNode") || materialized;
  if (kinds.includes("astCreateSnapshotTableStatementNode")) return createTableCopy(deps, requestScope, text, astNode, true, dryRun);
  if (kinds.some((k) => /Snapshot|External|Function|Procedure|Model/i.test(k))) {
    throw unsupported(`The local BigQuery cannot run this statement (${kinds[kinds.length - 1].replace(/^ast|Node$/g, "")})`);
  }
  // A script registers a temporary table's name (script_session.ts) before this runs.
  if (astNode.scope === "TEMPORARY" && !requestScope.tempTables?.has(String(pathSegments(astNode.name)?.[0]))) {
    throw unsupported("The local BigQuery does not support temporary tables here; create a regular table and drop it afterwards");
  }
  const nameSegments = pathSegments(astNode.name) ?? [];
  const ref = resolveTableName(nameSegments, requestScope);
  // A view's body ignores the default dataset (BigQuery: "A reference inside of a view must be qualified
  // with a dataset"); `d.t` means the view's project, when created and when read.
  const scope: StatementScope = isView ? { ...requestScope, projectId: ref.projectId, defaultDataset: undefined } : requestScope;
  const queryNode = astNode.query as AstNode | undefined;
  const queryRange = queryNode ? rangeOf(queryNode) : undefined;
  if (astNode.likeTableName || astNode.cloneDataSource || astNode.copyDataSource) {
    return createTableCopy(deps, requestScope, text, astNode, false, dryRun);
  }

  // Analyse the whole statement: column types, NOT NULL, options, and errors with their positions.
  const sameName = (s: string[]): boolean => JSON.stringify(s) === JSON.stringify(nameSegments);
  // ZetaSQL extracts no table names from CREATE statements: take them from the query part.
  const prepared = await prepareStatement(deps, scope, text, ast, {
    skip: sameName,
    namesFrom: queryRange ? text.slice(queryRange) : "",
  });
  // ZetaSQL knows no ingestion-time pseudo-columns: analyse without that PARTITION BY.
  const partitionRange = rangeOf(astNode.partitionBy);
  if (partitionRange && ingestionPartitioning(text.slice(partitionRange).replace(/^\s*partition\s+by\s+/i, ""))) {
    prepared.rewritten.replace(partitionRange, "");
    prepared.sql = prepared.rewritten.text();
  }
  const schemaTables = await loadTables(deps, prepared.uses, { content: false });
  const sent = new SqlText(prepared.sql);
  const resolved = await withPositions(sent, text, (o) => prepared.rewritten.locate(o), () =>
    deps.engine.analyze(prepared.sql, {
      tables: schemaTables,
      constants: [...scope.variables.values()],
      params: prepared.params,
      deadlineMs: scope.deadlineMs,
    }),
  );
  const node = flatten(resolvedNode(resolved).node);
  const mode = createMode(node);
  if (!deps.store.getDataset(ref)) throw datasetNotFound(ref);

  // The query part runs as its own query; its error positions are mapped into this statement.
  // A compiled one is only planned here: it runs into the new table, inside DuckDB.
  const runPart = async (partDryRun: boolean) => {
    if (!queryRange) return undefined;
    const part = text.sub(queryRange);
    return withPositions(part, text, (o) => o + queryRange.start, () =>
      runQuery(deps, scope, part, { dryRun: partDryRun, planOnly: !partDryRun }),
    );
  };

  const existing = deps.store.getTable(ref);
  if (existing && !mode.replace && !mode.ifNotExists) {
    throw duplicate(`Already Exists: ${existing.type === "VIEW" ? "View" : "Table"} ${ref.projectId}:${ref.datasetId}.${ref.tableId}`);
  }
  const options = optionValues(node.optionList);
  const now = Date.now();
  if (isView) {
    const query = await runPart(true);
    const meta: TableMeta = {
      ref,
      type: "VIEW",
      schema: query?.schema ?? [],
      viewQuery: queryRange ? text.slice(queryRange) : "",
      // A materialized view is answered like a view: always current, as BigQuery's are when read.
      materialized: materialized || undefined,
      description: stringOption(options, "description"),
      labels: labelsOption(options),
      creationTime: now,
      lastModifiedTime: now,
    };
    if (!dryRun) await deps.store.createTable(meta, { replace: mode.replace, ifNotExists: mode.ifNotExists });
    return {
      statementType: materialized ? "CREATE_MATERIALIZED_VIEW" : "CREATE_VIEW",
      target: ref,
      bytes: 0,
      operation: createOperation(existing !== undefined, mode),
      schema: meta.schema,
    };
  }

  let schema: Field[] = ((node.columnDefinitionList as AstNode[] | undefined) ?? []).map((d) => fieldOfDefinition(d));
  const query = existing && mode.ifNotExists && !mode.replace ? undefined : await runPart(dryRun);
  if (query && schema.length === 0) schema = query.schema;
  if (query && !dryRun && !query.compiled) checkRequired(schema, query.rows, ref);
  const meta: TableMeta = {
    ref,
    type: "TABLE",
    schema,
    ...tableOptions(options),
    timePartitioning: partitioning(text, astNode, schema, options),
    rangePartitioning: rangePartitioningOf(text, astNode, schema),
    clustering: clustering(astNode),
    creationTime: now,
    lastModifiedTime: now,
  };
  const compiled = query?.compiled;
  const fill = compiled
    ? async (tx: WriteTransaction) => {
        try {
          // By name: an ingestion-time partitioned table has hidden columns too (storage/ingestion_time.ts).
          await tx.connection.run(`INSERT INTO ${tx.relation(ref)} (${schema.map((f) => quoteIdent(f.name)).join(", ")}) SELECT * FROM (${compiled.sql})`);
        } catch (error) {
          throw requiredFieldError(duckDbError(error), ref);
        }
      }
    : undefined;
  if (!dryRun) {
    const create = (rows: Row[] | undefined, withFill: typeof fill) =>
      deps.store.createTable(meta, { replace: mode.replace, ifNotExists: mode.ifNotExists, rows, fill: withFill });
    try {
      await create(compiled ? undefined : query?.rows, fill);
    } catch (error) {
      if (!(error instanceof CompilerGap)) throw error;
      // DuckDB could not plan the compiled query: the reference evaluator computes the rows instead.
      const part = text.sub(queryRange as ByteRange);
      const rows = await withPositions(part, text, (o) => o + (queryRange as ByteRange).start, () => runQuery(deps, scope, part, { reference: true }));
      checkRequired(schema, rows.rows, ref);
      await create(rows.rows, undefined);
    }
  }
  return {
    statementType: queryRange ? "CREATE_TABLE_AS_SELECT" : "CREATE_TABLE",
    target: ref,
    bytes: query?.bytes ?? 0,
    operation: createOperation(existing !== undefined, mode),
    schema,
  };
}

function tableOptions(options: Map<string, OptionValue>): Pick<TableMeta, "description" | "labels" | "options"> {
  const others: Record<string, unknown> = {};
  for (const [name, option] of options) {
    if (name !== "description" && name !== "labels") others[name] = plainOption(option);
  }
  return {
    description: stringOption(options, "description"),
    labels: labelsOption(options),
    options: Object.keys(others).length > 0 ? others : undefined,
  };
}

const PARTITION_UNITS = new Set(["DAY", "HOUR", "MONTH", "YEAR"]);

/** PARTITION BY col | DATE(col) | TIMESTAMP_TRUNC(col, UNIT) | DATE_TRUNC(...) | DATETIME_TRUNC(...) | _PARTITIONDATE. */
function partitioning(text: SqlText, astNode: AstNode, schema: Field[], options: Map<string, OptionValue>): TimePartitioning | undefined {
  const node = astNode.partitionBy as AstNode | undefined;
  const range = node ? rangeOf((node.partitioningExpressions as AstNode[] | undefined)?.[0]) : undefined;
  if (!range) return undefined;
  const expression = text.slice(range).replace(/\s+/g, " ").trim();
  const days = options.get("partition_expiration_days");
  const expirationMs = days && days.value !== null ? String(Math.round(Number(days.value) * 86_400_000)) : undefined;
  const withExpiration = (p: TimePartitioning): TimePartitioning => (expirationMs ? { ...p, expirationMs } : p);
  const ingestion = ingestionPartitioning(expression);
  if (ingestion) return withExpiration(ingestion);
  if (/^RANGE_BUCKET\s*\(/i.test(expression)) return undefined; // rangePartitioningOf
  const column = (name: string): string => {
    const clean = name.replace(/`/g, "");
    const field = schema.find((f) => f.name.toLowerCase() === clean.toLowerCase());
    if (!field) throw invalidQuery(`PARTITION BY refers to unknown column ${clean}`);
    if (!["DATE", "TIMESTAMP", "DATETIME"].includes(field.type)) {
      throw unsupported(`The local BigQuery supports time-unit partitioning only (DATE, TIMESTAMP, DATETIME columns), not ${field.type} column ${clean}`);
    }
    return field.name;
  };
  let m = /^`?([\w]+)`?$/.exec(expression);
  if (m) return withExpiration({ type: "DAY", field: column(m[1]) });
  m = /^DATE\s*\(\s*`?(\w+)`?\s*\)$/i.exec(expression);
  if (m) return withExpiration({ type: "DAY", field: column(m[1]) });
  m = /^(?:TIMESTAMP|DATE|DATETIME)_TRUNC\s*\(\s*`?(\w+)`?\s*,\s*(\w+)\s*\)$/i.exec(expression);
  if (m && PARTITION_UNITS.has(m[2].toUpperCase())) {
    return withExpiration({ type: m[2].toUpperCase() as TimePartitioning["type"], field: column(m[1]) });
  }
  throw unsupported(`The local BigQuery does not support PARTITION BY ${expression}`);
}

/**
 * BigQuery's forms of ingestion-time partitioning: _PARTITIONDATE, DATE(_PARTITIONTIME),
 * TIMESTAMP_TRUNC(_PARTITIONTIME, unit), DATE_TRUNC(_PARTITIONDATE, MONTH|YEAR).
 */
function ingestionPartitioning(expression: string): TimePartitioning | undefined {
  const e = expression.replace(/\s+/g, " ").trim();
  if (/^_PARTITION(DATE|TIME)$/i.test(e) || /^DATE ?\( ?_PARTITIONTIME ?\)$/i.test(e)) return { type: "DAY" };
  const m = /^(?:TIMESTAMP_TRUNC ?\( ?_PARTITIONTIME|DATE_TRUNC ?\( ?_PARTITIONDATE) ?, ?(\w+) ?\)$/i.exec(e);
  return m && PARTITION_UNITS.has(m[1].toUpperCase()) ? { type: m[1].toUpperCase() as TimePartitioning["type"] } : undefined;
}

/** PARTITION BY RANGE_BUCKET(col, GENERATE_ARRAY(start, end, interval)): integer-range partitioning (metadata). */
function rangePartitioningOf(text: SqlText, astNode: AstNode, schema: Field[]): RangePartitioning | undefined {
  const node = astNode.partitionBy as AstNode | undefined;
  const range = node ? rangeOf((node.partitioningExpressions as AstNode[] | undefined)?.[0]) : undefined;
  if (!range) return undefined;
  const expression = text.slice(range).replace(/\s+/g, " ").trim();
  if (!/^RANGE_BUCKET\s*\(/i.test(expression)) return undefined;
  const m = /^RANGE_BUCKET\s*\(\s*`?(\w+)`?\s*,\s*GENERATE_ARRAY\s*\(\s*(-?\d+)\s*,\s*(-?\d+)\s*,\s*(\d+)\s*\)\s*\)$/i.exec(expression);
  if (!m) throw unsupported(`The local BigQuery supports PARTITION BY RANGE_BUCKET(column, GENERATE_ARRAY(start, end, interval)) with literal bounds, not ${expression}`);
  const field = schema.find((f) => f.name.toLowerCase() === m[1].toLowerCase());
  if (!field) throw invalidQuery(`PARTITION BY refers to unknown column ${m[1]}`);
  if (field.type !== "INTEGER" || field.mode === "REPEATED") throw invalidQuery(`PARTITION BY RANGE_BUCKET needs an INT64 column, not ${field.type} column ${field.name}`);
  if (Number(m[4]) <= 0 || BigInt(m[3]) <= BigInt(m[2])) throw invalidQuery("PARTITION BY RANGE_BUCKET needs start < end and a positive interval");
  return { field: field.name, range: { start: m[2], end: m[3], interval: m[4] } };
}

function clustering(astNode: AstNode): string[] | undefined {
  const node = astNode.clusterBy as AstNode | undefined;
  const expressions = (node?.clusteringExpressions as AstNode[] | undefined) ?? [];
  const names = expressions.map((e) => (pathSegments(e) ?? []).join("."));
  return names.length > 0 ? names : undefined;
}

export async function alterTable(deps: Deps, scope: StatementScope, text: SqlText, astNode: AstNode, dryRun: boolean): Promise<DdlOutcome> {
  const ref = resolveTableName(pathSegments(astNode.path) ?? [], scope);
  const meta = deps.store.getTable(ref);
  if (!meta) {
    if (astNode.isIfExists) return { statementType: "ALTER_TABLE", bytes: 0, operation: "SKIP" };
    throw tableNotFound(ref);
  }
  if (meta.type === "VIEW") throw invalidQuery(`${tableKey(ref)} is a view; ALTER TABLE applies to tables`);
  checkWritable(meta);
  // ZetaSQL's analyser does not take SET DATA TYPE: a statement of those alone is read from its parse tree.
  const parsedActions = ((astNode.actionList as AstNode | undefined)?.actions as AstNode[] | undefined) ?? [];
  if (parsedActions.length > 0 && parsedActions.every((a) => a.node === "astAlterColumnTypeActionNode")) {
    const changes = setDataTypes(meta, text, parsedActions);
    if (!dryRun) await deps.store.rewriteTable(ref, { schema: changes.schema }, (relation) => changes.statements.map((sql) => sql(relation)));
    return { statementType: "ALTER_TABLE", target: ref, bytes: 0, operation: "ALTER" };
  }
  // ZetaSQL looks the table up: name it by one identifier, as in the catalog sent.
  const rewritten = new RewrittenSql(text);
  const pathRange = rangeOf(astNode.path);
  if (pathRange) rewritten.replace(pathRange, quoteIdentifier(tableKey(ref)));
  const sent = rewritten.text();
  const table = { name: tableKey(ref), columns: meta.schema.map((f) => ({ name: f.name, field: f })) };
  const resolved = await withPositions(new SqlText(sent), text, (o) => rewritten.toOriginal(o), () =>
    deps.engine.analyze(sent, { tables: [table], deadlineMs: scope.deadlineMs }),
  );
  const node = resolvedNode(resolved).node;
  let schema = [...meta.schema];
  const patch: Partial<TableMeta> = {};
  const changes: ColumnChanges = { schema, statements: [] };
  // A lone SET OPTIONS arrives as ZetaSQL's older ResolvedAlterTableSetOptionsStmt, without an action list.
  const actions = (node.alterActionList as AstNode[] | undefined) ??
    (node.optionList ? [{ node: "resolvedSetOptionsActionNode", resolvedSetOptionsActionNode: { optionList: node.optionList } }] : []);
  for (const wrapped of actions) {
    const { kinds, node: action } = nodeKinds(wrapped);
    const kind = kinds[kinds.length - 1];
    const flat = flatten(action);
    changes.schema = schema;
    if (applyColumnAction(meta, changes, kind, flat)) {
      schema = changes.schema;
    } else if (kind === "resolvedAddColumnActionNode") {
      const field = fieldOfDefinition(flat.columnDefinition as AstNode);
      if (schema.some((f) => f.name.toLowerCase() === field.name.toLowerCase())) {
        if (flat.isIfNotExists) continue;
        throw invalidQuery(`Column already exists: ${field.name}`);
      }
      if (field.mode === "REQUIRED") throw invalidQuery(`Cannot add a REQUIRED column (${field.name}) to an existing table`);
      schema.push(field);
    } else if (kind === "resolvedSetOptionsActionNode") {
      const options = tableOptions(optionValues(flat.optionList));
      if (options.description !== undefined) patch.description = options.description;
      if (options.labels !== undefined) patch.labels = options.labels;
      if (options.options) patch.options = { ...(meta.options ?? {}), ...options.options };
    } else if (kind === "resolvedAlterColumnOptionsActionNode") {
      const name = String(flat.column ?? "");
      const index = schema.findIndex((f) => f.name.toLowerCase() === name.toLowerCase());
      if (index < 0) {
        if (flat.isIfExists) continue;
        throw invalidQuery(`Column not found: ${name}`);
      }
      const description = stringOption(optionValues(flat.optionList), "description");
      schema = schema.map((f, i) => (i === index ? { ...f, description } : f));
    } else {
      throw unsupported(
        `The local BigQuery does not support ALTER TABLE ${kind.replace(/^resolved|ActionNode$/g, "").replace(/([a-z])([A-Z])/g, "$1 $2").toUpperCase()}`,
      );
    }
  }
  const renameTo = changes.renameTo
    ? changes.renameTo.length === 1
      ? { ...ref, tableId: changes.renameTo[0] }
      : resolveTableName(changes.renameTo, scope)
    : undefined;
  if (renameTo && deps.store.getTable(renameTo)) throw duplicate(`Already Exists: Table ${renameTo.projectId}:${renameTo.datasetId}.${renameTo.tableId}`);
  if (!dryRun) {
    // Dropped and renamed columns change the stored rows: those go through rewriteTable, with the metadata.
    if (changes.statements.length > 0) await deps.store.rewriteTable(ref, { ...patch, schema }, (relation) => changes.statements.map((sql) => sql(relation)));
    else await deps.store.updateTable(ref, { ...patch, schema });
    // Existing rows take an added column's DEFAULT, as BigQuery fills them.
    const fill = addedColumnDefaults(tableKey(ref), schema.filter((f) => !meta.schema.some((m) => m.name.toLowerCase() === f.name.toLowerCase())));
    if (fill) await modifyTable(deps, { ...scope, variables: new Map() }, fill);
    if (renameTo) await deps.store.renameTable(ref, renameTo);
  }
  return { statementType: "ALTER_TABLE", target: renameTo ?? ref, bytes: 0, operation: "ALTER" };
}

/** Runs an UPDATE the DDL needs (filling an added column's default). */
async function modifyTable(deps: Deps, scope: StatementScope, sql: string): Promise<void> {
  const text = new SqlText(sql);
  const ast = await deps.engine.parse(sql);
  await modify(deps, scope, text, ast, nodeKinds(ast).node, "UPDATE", false);
}

export async function drop(deps: Deps, scope: StatementScope, astNode: AstNode, dryRun: boolean): Promise<DdlOutcome> {
  const segments = pathSegments(astNode.name) ?? [];
  const kind = String(astNode.schemaObjectKind ?? "");
  const ifExists = astNode.isIfExists === true;
  if (kind === "kSchema") {
    const ref = resolveDatasetName(segments, scope);
    if (!deps.store.getDataset(ref)) {
      if (ifExists) return { statementType: "DROP_SCHEMA", bytes: 0, operation: "SKIP" };
      throw datasetNotFound(ref);
    }
    if (!dryRun) await deps.store.deleteDataset(ref, { deleteContents: astNode.dropMode === "CASCADE" });
    return { statementType: "DROP_SCHEMA", bytes: 0, operation: "DROP" };
  }
  if (kind !== "kTable" && kind !== "kView") {
    throw unsupported(`The local BigQuery cannot drop this kind of object (${kind.replace(/^k/, "")})`);
  }
  const ref = resolveTableName(segments, scope);
  const statementType = kind === "kView" ? "DROP_VIEW" : "DROP_TABLE";
  const meta = deps.store.getTable(ref);
  if (!meta) {
    if (ifExists) return { statementType, target: ref, bytes: 0, operation: "SKIP" };
    throw tableNotFound(ref);
  }
  const wanted = kind === "kView" ? "VIEW" : "TABLE";
  if (meta.type !== wanted) {
    throw new BigQueryError(
      "invalidQuery",
      `${tableKey(ref)} is a ${meta.type === "VIEW" ? "view" : "table"}; use DROP ${meta.type} to drop it`,
      "query",
    );
  }
  if (!dryRun) await deps.store.deleteTable(ref, { ifExists: true });
  return { statementType, target: ref, bytes: 0, operation: "DROP" };
}
