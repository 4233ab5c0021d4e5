/**
 * The SQL engine: GoogleSQL parsed, analysed and evaluated by ZetaSQL's
 * reference implementation, in BigQuery's vocabulary (schema fields,
 * canonical cells, BigQueryError). Stateless per call: every call carries the
 * tables (and only the rows) it needs.
 */
import { BigQueryError, invalid } from "../errors";
import type { Field, QueryParameter, Row, Value } from "../model";
import { encodeTableContents } from "./content_encoder";
import { bigQueryMessage } from "./error_mapping";
import { languageOptions, type LanguageOptions } from "./language_options";
import { Memo } from "./memo";
import { fieldOf, parameterTypeOf, typeOf, type TypeProto } from "./types";
import { fromValueProto, toValueProto, type ValueProto } from "./values";
import type { ZetaSqlClient } from "./zetasql_client";
import { MAX_REQUEST_BYTES, TooLargeRequestError } from "./zetasql_client";
import type { ZetaSqlProcess } from "./zetasql_process";

export interface EngineColumn {
  name: string;
  /** The column's schema field; REPEATED means an ARRAY column. */
  field: Pick<Field, "type" | "mode" | "fields">;
  /** Readable by name, absent from SELECT * (the hidden row id). */
  pseudo?: boolean;
}

export interface EngineTable {
  /** The name as it appears (as one identifier) in the SQL sent. */
  name: string;
  columns: EngineColumn[];
  /** One cell per column; omit for analysis-only calls. */
  rows?: Row[];
  /** Column indexes of the key EvaluateModify reports for UPDATE and DELETE. */
  primaryKey?: number[];
}

export interface EngineConstant {
  name: string;
  field: Pick<Field, "type" | "mode" | "fields">;
  value: Value;
}

/**
 * A SQL user-defined function, handed to ZetaSQL as a templated SQL function: its body is
 * analysed at each call with the argument types, and ZetaSQL's inliner replaces the call by the
 * body (so both the DuckDB compiler and the reference evaluator see plain SQL).
 */
export interface EngineFunction {
  /** The names it is called by: [name] (temporary), or [dataset, name] and [project, dataset, name] through nested catalogs, or one dotted identifier. */
  paths: string[][];
  argumentNames: string[];
  /** One per argument; undefined: ANY TYPE. */
  argumentTypes: (TypeProto | undefined)[];
  /** Absent: the body's type. */
  returnType?: TypeProto;
  /** The body expression's SQL (a JavaScript function's code). */
  body: string;
  /**
   * "js": a JavaScript function, known to ZetaSQL by its signature only (no body to inline): the
   * DuckDB compiler calls it (engine/duckdb/functions_js_udf.ts), the reference evaluator cannot.
   */
  language?: "js";
  /** A JavaScript function's definition id: its signature's context id, which resolved calls carry. */
  jsId?: string;
}

/** A table function known by its signature and output columns only (analysing a body that calls it). */
export interface EngineTableFunction {
  paths: string[][];
  argumentNames: string[];
  argumentTypes: TypeProto[];
  columns: { name: string; type: TypeProto }[];
}

/** What a statement can see: tables, named constants (script variables) and query parameters. */
export interface EngineContext {
  tables?: EngineTable[];
  /** SQL user-defined functions the statement may call. */
  functions?: EngineFunction[];
  /** Table functions the statement may call (analysis only). */
  tableFunctions?: EngineTableFunction[];
  /** Resolved nodes carry the location of the text they come from (argument references of a table function's body). */
  recordParseLocations?: boolean;
  constants?: EngineConstant[];
  params?: QueryParameter[];
  deadlineMs?: number;
}

export interface QueryOutput {
  schema: Field[];
  rows: Row[];
}

export interface ModifiedRow {
  operation: "INSERT" | "UPDATE" | "DELETE";
  /** New cells, one per column of the target table (INSERT, UPDATE). */
  cells: Row;
  /** The old primary key cells (UPDATE, DELETE). */
  oldKey: Value[];
}

/** A parse tree as the service returns it (see zetasql/parser/parse_tree.proto); walked generically. */
export type AstNode = Record<string, unknown>;

export interface Engine {
  parse(sql: string): Promise<AstNode>;
  /** Parses the statement starting at a byte offset of a script; returns where the next one starts (-1 at the end). */
  parseNext(script: string, bytePosition: number): Promise<{ statement: AstNode; nextBytePosition: number }>;
  /** Table names a statement reads or writes, each as its path segments (CTE names excluded). */
  extractTableNames(sql: string): Promise<string[][]>;
  /** The resolved AST (zetasql/resolved_ast/resolved_ast.proto as JSON). */
  analyze(sql: string, context: EngineContext): Promise<AstNode>;
  /** A query's output schema without running it. */
  prepareQuery(sql: string, context: EngineContext): Promise<Field[]>;
  evaluateQuery(sql: string, context: EngineContext): Promise<QueryOutput>;
  evaluateModify(sql: string, target: string, context: EngineContext): Promise<ModifiedRow[]>;
  /** Names of ZetaSQL's built-in functions (lower case, `net.host` style): a catalog function of one of these names would collide. */
  builtinFunctionNames(): Promise<ReadonlySet<string>>;
  /** The running ZetaSQL server's process id (diagnostics; tests kill it to prove recovery). */
  serverPid(): Promise<number | undefined>;
  stop(): Promise<void>;
}

interface SimpleColumnProto {
  name: string;
  type: TypeProto;
}

const MEMO_ENTRIES = 2000;

export class ZetaSqlEngine implements Engine {
  private readonly parsed = new Memo<AstNode>(MEMO_ENTRIES);
  private readonly parsedNext = new Memo<{ statement: AstNode; nextBytePosition: number }>(MEMO_ENTRIES);
  private readonly tableNames = new Memo<string[][]>(MEMO_ENTRIES);
  private readonly analyses = new Memo<AstNode>(MEMO_ENTRIES);
  private optionsPromise: Promise<LanguageOptions> | undefined;
  /** Set once language() has resolved. */
  private options: LanguageOptions | undefined;

  constructor(
    private readonly process: ZetaSqlProcess,
    private readonly client: ZetaSqlClient,
  ) {}

  parse(sql: string): Promise<AstNode> {
    return this.parsed.get(sql, () => this.parseUncached(sql));
  }

  private async parseUncached(sql: string): Promise<AstNode> {
    const response = await this.withSyntaxPosition(
      () => this.client.call<{ parsedStatement?: AstNode }>("Parse", { sqlStatement: sql, options: this.options }),
      { sqlStatement: sql },
    );
    return response.parsedStatement ?? {};
  }

  parseNext(script: string, bytePosition: number): Promise<{ statement: AstNode; nextBytePosition: number }> {
    return this.parsedNext.get(`${bytePosition}\u0000${script}`, () => this.parseNextUncached(script, bytePosition));
  }

  private async parseNextUncached(script: string, bytePosition: number): Promise<{ statement: AstNode; nextBytePosition: number }> {
    const parseResumeLocation = { input: script, bytePosition, allowResume: true };
    const response = await this.withSyntaxPosition(
      () =>
        this.client.call<{ parsedStatement?: AstNode; resumeBytePosition?: number }>("Parse", {
          parseResumeLocation,
          options: this.options,
          allowScript: true,
        }),
      { parseResumeLocation },
    );
    return { statement: response.parsedStatement ?? {}, nextBytePosition: response.resumeBytePosition ?? -1 };
  }

  /**
   * Parse reports syntax errors without their position (it has no error-message mode);
   * Analyze of the same text words the same error with "[at line:col]".
   */
  private async withSyntaxPosition<T>(parse: () => Promise<T>, target: Record<string, unknown>): Promise<T> {
    await this.language();
    try {
      return await parse();
    } catch (error) {
      if (!(error instanceof BigQueryError) || error.reason !== "invalidQuery" || / at \[\d+:\d+\]/.test(error.message)) throw error;
      const positioned = await this.client
        .call("Analyze", { options: { languageOptions: this.options, errorMessageMode: "ERROR_MESSAGE_ONE_LINE" }, ...target })
        .then(
          () => undefined,
          (e: unknown) => e,
        );
      if (positioned instanceof BigQueryError && positioned.message.startsWith(error.message)) throw positioned;
      throw error;
    }
  }

  extractTableNames(sql: string): Promise<string[][]> {
    return this.tableNames.get(sql, () => this.extractTableNamesUncached(sql));
  }

  private async extractTableNamesUncached(sql: string): Promise<string[][]> {
    const response = await this.client.call<{ tableName?: { tableNameSegment?: string[] }[] }>(
      "ExtractTableNamesFromStatement",
      { sqlStatement: sql, options: await this.language() },
    );
    return (response.tableName ?? []).map((t) => t.tableNameSegment ?? []);
  }

  async analyze(sql: string, context: EngineContext): Promise<AstNode> {
    const request = await this.request(sql, { ...context, tables: context.tables?.map((t) => ({ ...t, rows: undefined })) }, true);
    const analyze = {
      // Pruned scans tell which columns a statement reads. (Never for EvaluateModify: INSERT
      // then returns invalid values for the pruned columns and the server aborts.)
      options: { ...(request.options as object), pruneUnusedColumns: true },
      simpleCatalog: request.simpleCatalog,
      sqlStatement: sql,
    };
    // The request holds everything the answer depends on (no rows: analysis never reads them).
    return this.analyses.get(JSON.stringify(analyze), async () => {
      const response = await this.send<{ resolvedStatement?: AstNode }>("Analyze", analyze, context);
      return response.resolvedStatement ?? {};
    });
  }

  async prepareQuery(sql: string, context: EngineContext): Promise<Field[]> {
    const request = await this.request(sql, context);
    const response = await this.send<{ prepared?: { columns?: SimpleColumnProto[]; preparedQueryId?: string } }>(
      "PrepareQuery",
      request,
      context,
    );
    const id = response.prepared?.preparedQueryId;
    if (id) this.client.call("UnprepareQuery", { preparedQueryId: id }).catch(() => undefined);
    return outputSchema(response.prepared?.columns ?? []);
  }

  async evaluateQuery(sql: string, context: EngineContext): Promise<QueryOutput> {
    const request = await this.request(sql, context);
    const response = await this.send<{
      content?: { tableData?: { row?: { cell?: ValueProto[] }[] } };
      prepared?: { columns?: SimpleColumnProto[] };
    }>("EvaluateQuery", request, context, tableContents(EVALUATE_QUERY_CONTENT_FIELD, context));
    const columns = response.prepared?.columns ?? [];
    const schema = outputSchema(columns);
    const rows = (response.content?.tableData?.row ?? []).map((row) => {
      const cells = row.cell ?? [];
      return columns.map((c, i) => fromValueProto(cells[i] ?? {}, c.type));
    });
    return { schema, rows };
  }

  async evaluateModify(sql: string, target: string, context: EngineContext): Promise<ModifiedRow[]> {
    const table = (context.tables ?? []).find((t) => t.name === target);
    if (!table) throw new Error(`evaluateModify: target ${target} is not among the tables`);
    const request = await this.request(sql, context);
    const response = await this.send<{
      content?: { operation?: string; cell?: ValueProto[]; oldPrimaryKey?: ValueProto[] }[];
    }>("EvaluateModify", request, context, tableContents(EVALUATE_MODIFY_CONTENT_FIELD, context));
    const types = table.columns.map((c) => typeOf(c.field));
    const keyTypes = (table.primaryKey ?? []).map((i) => types[i]);
    return (response.content ?? []).map((row) => ({
      operation: (row.operation ?? "INSERT") as ModifiedRow["operation"],
      cells: (row.cell ?? []).map((cell, i) => fromValueProto(cell, types[i])),
      oldKey: (row.oldPrimaryKey ?? []).map((cell, i) => fromValueProto(cell, keyTypes[i])),
    }));
  }

  private builtins: Promise<ReadonlySet<string>> | undefined;

  builtinFunctionNames(): Promise<ReadonlySet<string>> {
    if (!this.builtins) {
      this.builtins = this.language().then(async (languageOptions) => {
        const response = await this.client.call<{ function?: { namePath?: string[] }[] }>("GetBuiltinFunctions", { languageOptions });
        return new Set((response.function ?? []).map((f) => (f.namePath ?? []).join(".").toLowerCase()));
      });
      this.builtins.catch(() => {
        this.builtins = undefined;
      });
    }
    return this.builtins;
  }

  async serverPid(): Promise<number | undefined> {
    return (await this.process.server()).process.pid;
  }

  async stop(): Promise<void> {
    this.client.close();
    await this.process.stop();
  }

  private language(): Promise<LanguageOptions> {
    if (!this.optionsPromise) {
      this.optionsPromise = languageOptions(this.client).then((options) => (this.options = options));
      this.optionsPromise.catch(() => {
        this.optionsPromise = undefined;
      });
    }
    return this.optionsPromise;
  }

  private async send<T>(method: string, request: object, context: EngineContext, appended?: Buffer): Promise<T> {
    try {
      return await this.client.call<T>(method, request, context.deadlineMs, appended);
    } catch (error) {
      if (error instanceof TooLargeRequestError) throw tooLarge(error.bytes, context);
      throw error;
    }
  }

  /** The request fields shared by Analyze, PrepareQuery, EvaluateQuery and EvaluateModify. */
  private async request(sql: string, context: EngineContext, analysisOnly = false): Promise<Record<string, unknown>> {
    const language = await this.language();
    const params = context.params ?? [];
    const positional = params.length > 0 && params.every((p) => !p.name);
    const paramTypes = params.map((p) => parameterTypeOf(p.type));
    const options: Record<string, unknown> = {
      languageOptions: language,
      errorMessageMode: "ERROR_MESSAGE_ONE_LINE",
      defaultTimezone: "UTC",
      parameterMode: positional ? "PARAMETER_POSITIONAL" : "PARAMETER_NAMED",
    };
    if (positional) options.positionalQueryParameters = paramTypes;
    else options.queryParameters = params.map((p, i) => ({ name: p.name, type: paramTypes[i] }));
    const tables = context.tables ?? [];
    const simpleCatalog: CatalogProto & Record<string, unknown> = {
      name: "",
      builtinFunctionOptions: { languageOptions: language },
      table: tables.map((t) => ({
        name: t.name,
        column: t.columns.map((c) => ({ name: c.name, type: typeOf(c.field), isPseudoColumn: c.pseudo ?? false })),
        primaryKeyColumnIndex: t.primaryKey ?? [],
      })),
      constant: (context.constants ?? []).map((c) => ({
        namePath: [c.name],
        type: typeOf(c.field),
        value: toValueProto(c.value, typeOf(c.field)),
      })),
    };
    if (context.functions && context.functions.length > 0) {
      addFunctions(simpleCatalog, context.functions);
      options.enabledRewrites = [...DEFAULT_REWRITES, "REWRITE_INLINE_SQL_FUNCTIONS"];
    }
    if (context.tableFunctions && context.tableFunctions.length > 0) addTableFunctions(simpleCatalog, context.tableFunctions);
    if (context.recordParseLocations) options.parseLocationRecordType = "PARSE_LOCATION_RECORD_CODE_SEARCH";
    const request: Record<string, unknown> = { sql, options, simpleCatalog };
    if (params.length > 0) {
      // Analysis needs no value: a GEOGRAPHY parameter (which ZetaSQL cannot take) is analysed by its type.
      const value = (p: QueryParameter, i: number): ValueProto => (analysisOnly && paramTypes[i].typeKind === "TYPE_GEOGRAPHY" ? {} : paramValue(p, paramTypes[i]));
      request.params = params.map((p, i) => ({ name: p.name ?? "", value: value(p, i) }));
    }
    return request;
  }
}

/** ZetaSQL's default rewrites (options.proto), which an explicit list replaces. */
const DEFAULT_REWRITES = [
  "REWRITE_FLATTEN",
  "REWRITE_PROTO_MAP_FNS",
  "REWRITE_ARRAY_FILTER_TRANSFORM",
  "REWRITE_UNPIVOT",
  "REWRITE_PIVOT",
  "REWRITE_ARRAY_INCLUDES",
  "REWRITE_TYPEOF_FUNCTION",
  "REWRITE_WITH_EXPR",
  "REWRITE_NULLIFERROR_FUNCTION",
  "REWRITE_LIKE_ANY_ALL",
  "REWRITE_BUILTIN_FUNCTION_INLINER",
  "REWRITE_INLINE_SQL_VIEWS",
  "REWRITE_SET_OPERATION_CORRESPONDING",
  "REWRITE_GROUPING_SET",
];

interface CatalogProto {
  name: string;
  catalog?: CatalogProto[];
  customFunction?: Record<string, unknown>[];
  customTvf?: Record<string, unknown>[];
}

/** The catalog a path's last segment lives in (the others name nested catalogs, created as needed). */
function catalogOf(root: CatalogProto, path: string[]): CatalogProto {
  let catalog = root;
  for (const segment of path.slice(0, -1)) {
    catalog.catalog ??= [];
    let next = catalog.catalog.find((c) => c.name === segment);
    if (!next) catalog.catalog.push((next = { name: segment }));
    catalog = next;
  }
  return catalog;
}

/** Adds each function under each of its paths. */
function addFunctions(root: CatalogProto, functions: EngineFunction[]): void {
  for (const fn of functions) for (const path of fn.paths) (catalogOf(root, path).customFunction ??= []).push(functionProto(path, fn));
}

function addTableFunctions(root: CatalogProto, functions: EngineTableFunction[]): void {
  for (const fn of functions) {
    for (const path of fn.paths) {
      (catalogOf(root, path).customTvf ??= []).push({
        namePath: [path[path.length - 1]],
        type: "FIXED_OUTPUT_SCHEMA_TVF",
        signature: {
          argument: fn.argumentTypes.map((type, i) => ({
            kind: "ARG_TYPE_FIXED",
            type,
            numOccurrences: 1,
            options: { cardinality: "REQUIRED", argumentName: fn.argumentNames[i] },
          })),
          returnType: { kind: "ARG_TYPE_RELATION", numOccurrences: 1, options: { relationInputSchema: { column: fn.columns, isValueTable: false } } },
          contextId: "0",
        },
      });
    }
  }
}

function functionProto(path: string[], fn: EngineFunction): Record<string, unknown> {
  const argument = fn.argumentTypes.map((type, i) => ({
    kind: type ? "ARG_TYPE_FIXED" : "ARG_TYPE_ARBITRARY",
    ...(type ? { type } : {}),
    numOccurrences: 1,
    options: { cardinality: "REQUIRED", argumentName: fn.argumentNames[i], namedArgumentKind: "POSITIONAL_ONLY" },
  }));
  if (fn.language === "js") {
    // A plain (not templated) function of group JS (BigQuery's messages say "function JS:F" too);
    // its definition's id is the signature's context id, which resolved calls carry.
    const returnType = { kind: "ARG_TYPE_FIXED", type: fn.returnType, numOccurrences: 1 };
    return { namePath: [path[path.length - 1]], group: "JS", mode: "SCALAR", signature: [{ argument, returnType, contextId: fn.jsId }] };
  }
  return {
    namePath: [path[path.length - 1]],
    group: "Templated_SQL_Function",
    mode: "SCALAR",
    signature: [
      {
        argument,
        returnType: fn.returnType ? { kind: "ARG_TYPE_FIXED", type: fn.returnType, numOccurrences: 1 } : { kind: "ARG_TYPE_ARBITRARY", numOccurrences: 1 },
        contextId: "0",
      },
    ],
    parseResumeLocation: { input: fn.body, bytePosition: 0 },
    templatedSqlFunctionArgumentName: fn.argumentNames,
  };
}

/** Field numbers of table_content in EvaluateQueryRequest and EvaluateModifyRequest. */
const EVALUATE_QUERY_CONTENT_FIELD = 7;
const EVALUATE_MODIFY_CONTENT_FIELD = 7;

function tableContents(field: number, context: EngineContext): Buffer {
  return encodeTableContents(
    field,
    (context.tables ?? []).map((t) => ({ name: t.name, types: t.columns.map((c) => typeOf(c.field)), rows: t.rows ?? [] })),
  );
}

function paramValue(param: QueryParameter, type: TypeProto): ValueProto {
  try {
    return toValueProto(param.value, type);
  } catch (error) {
    const name = param.name ? `@${param.name}` : "positional parameter";
    throw invalid(`Invalid value for query parameter ${name}: ${(error as Error).message}`, "query");
  }
}

/** Result columns as BigQuery names them: anonymous columns become f0_, f1_, ... */
export function outputSchema(columns: SimpleColumnProto[]): Field[] {
  let anonymous = 0;
  return columns.map((c) => fieldOf(!c.name || c.name.startsWith("$") ? `f${anonymous++}_` : c.name, c.type));
}

function tooLarge(bytes: number, context: EngineContext): BigQueryError {
  const tables = (context.tables ?? []).filter((t) => (t.rows ?? []).length > 0);
  const rows = tables.reduce((n, t) => n + (t.rows?.length ?? 0), 0);
  const detail = tables.map((t) => `${t.name}: ${t.rows?.length ?? 0} rows`).join(", ");
  return new BigQueryError(
    "resourcesExceeded",
    `This statement reads ${rows} rows (${detail}), ${bytes} bytes once encoded, but one request to the local ` +
      `SQL engine (ZetaSQL) can carry at most ${MAX_REQUEST_BYTES} bytes (4 MiB). The local BigQuery cannot ` +
      `answer it: read fewer rows (filter into a smaller table first) or fewer columns.`,
  );
}

export { bigQueryMessage };
