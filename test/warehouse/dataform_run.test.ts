/**
 * The real Dataform CLI (`dataform run`, `dataform test`, unchanged, pointed at the local BigQuery by
 * BIGQUERY_EMULATOR_HOST only) against a fresh local BigQuery, checked through the real BigQuery client.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { BigQuery, type TableMetadata } from "@google-cloud/bigquery";
import { startLocalBigQuery, type LocalBigQuery } from "../../local-bigquery/src";
import {
  ASSERTION_DATASET,
  DATASET,
  GCP_PROJECT,
  compileProject,
  copyProject,
  runDataform,
  tableName,
  type CompiledGraph,
} from "../support/warehouse";
import { actionOutcomes, actionsWith, describeRun, unitTestResults } from "../support/warehouse_outcomes";

const VIEWS = ["order_versions_v", "latest_order_v", "first_order_events_v", "order_lifecycle_metrics_v"];
const CUSTOM_ASSERTIONS = [
  "orders_raw_non_canonical_status",
  "orders_raw_order_date_after_ingest",
  "order_lifecycle_negative_duration",
  "latest_order_missing_first_event",
];

interface RawRow {
  event_id: string;
  order_id: string;
  order_date: string;
  order_status: string;
  ingested_at: string;
  updated_at?: string | null;
  order_details?: string | null;
  raw_payload?: string | null;
  request_id?: string | null;
  caller?: string | null;
}

function rawRow(orderId: string, eventId: string, status: string, ingestedAt: string, extra: Partial<RawRow> = {}): RawRow {
  return {
    event_id: eventId,
    order_id: orderId,
    order_date: "2025-03-01T08:00:00Z",
    order_status: status,
    ingested_at: ingestedAt,
    raw_payload: JSON.stringify({ order_id: orderId, order_status: status }),
    request_id: `req-${eventId}`,
    caller: "test-app",
    ...extra,
  };
}

async function insertRaw(bigquery: BigQuery, rows: RawRow[]): Promise<void> {
  // Distinct insertIds: the rows are meant to land, resends included (the views de-duplicate).
  await bigquery
    .dataset(DATASET)
    .table("orders_raw")
    .insert(
      rows.map((json, index) => ({ insertId: `${json.event_id}-${json.ingested_at}-${index}`, json })),
      { raw: true },
    );
}

async function count(bigquery: BigQuery, name: string, dataset = DATASET): Promise<number> {
  const [rows] = await bigquery.query(`SELECT COUNT(*) AS n FROM ${tableName(name, dataset)}`);
  return Number(rows[0].n);
}

async function tableNames(bigquery: BigQuery, dataset: string): Promise<string[]> {
  const [exists] = await bigquery.dataset(dataset).exists();
  if (!exists) return [];
  const [tables] = await bigquery.dataset(dataset).getTables();
  return tables.map((table) => table.id ?? "").sort();
}

async function metadata(bigquery: BigQuery, name: string, dataset = DATASET): Promise<TableMetadata> {
  const [meta] = await bigquery.dataset(dataset).table(name).getMetadata();
  return meta as TableMetadata;
}

function documented(graph: CompiledGraph, view: string): string[] {
  const action = (graph.tables ?? []).find((table) => table.target.name === view);
  return (action?.actionDescriptor?.columns ?? []).map((column) => column.path.join(".")).sort();
}

describe("dataform run on a fresh local BigQuery", () => {
  let local: LocalBigQuery;
  let bigquery: BigQuery;
  let graph: CompiledGraph;

  beforeAll(async () => {
    [local, graph] = await Promise.all([startLocalBigQuery({ quiet: true }), compileProject()]);
    bigquery = new BigQuery({ projectId: GCP_PROJECT, apiEndpoint: local.url });
  });
  afterAll(async () => {
    await local?.stop();
  });

  it("dry run validates without creating orders_raw or any view", async () => {
    // On a fresh warehouse the dry runs of the ALTERs and views may fail (orders_raw does not exist yet,
    // as on BigQuery), so only the effect is checked here; the next dry-run test checks the exit code.
    await runDataform("run", ["--dry-run"], { url: local.url });
    // Dataform creates the schemas for real even on a dry run (bigquery-rest-surface.md §5.2); nothing else.
    expect(await tableNames(bigquery, DATASET)).toEqual([]);
    expect(await tableNames(bigquery, ASSERTION_DATASET)).toEqual([]);
  });

  it("creates the datasets, orders_raw and the views, and every assertion passes", async () => {
    const result = await runDataform("run", [], { url: local.url });
    expect(describeRun(result)).toMatch(/^exit 0/);
    const outcomes = actionOutcomes(result);
    expect(outcomes[`${DATASET}.orders_raw`]).toBe("Operation completed successfully");
    for (const view of VIEWS) expect([view, outcomes[`${DATASET}.${view}`]]).toEqual([view, "Table created"]);
    const assertions = (graph.assertions ?? []).map((assertion) => `${ASSERTION_DATASET}.${assertion.target.name}`).sort();
    expect(actionsWith(outcomes, "Assertion passed")).toEqual(assertions);
    expect(assertions).toEqual(expect.arrayContaining(CUSTOM_ASSERTIONS.map((name) => `${ASSERTION_DATASET}.${name}`)));

    const [datasets] = await bigquery.getDatasets();
    expect(datasets.map((dataset) => dataset.id).sort()).toEqual([DATASET, ASSERTION_DATASET].sort());
    expect(await tableNames(bigquery, DATASET)).toEqual(["orders_raw", ...VIEWS].sort());
  });

  it("gives orders_raw the contract schema, partitioning, clustering and column descriptions", async () => {
    const meta = await metadata(bigquery, "orders_raw");
    expect(meta.type).toBe("TABLE");
    const fields = (meta.schema?.fields ?? []).map((field) => [field.name, field.type, field.mode ?? "NULLABLE"]);
    expect(fields).toEqual([
      ["event_id", "STRING", "REQUIRED"],
      ["order_id", "STRING", "REQUIRED"],
      ["order_date", "TIMESTAMP", "REQUIRED"],
      ["order_details", "STRING", "NULLABLE"],
      ["order_status", "STRING", "REQUIRED"],
      ["updated_at", "TIMESTAMP", "NULLABLE"],
      ["ingested_at", "TIMESTAMP", "REQUIRED"],
      ["raw_payload", "JSON", "NULLABLE"],
      ["request_id", "STRING", "NULLABLE"],
      ["caller", "STRING", "NULLABLE"],
    ]);
    for (const field of meta.schema?.fields ?? []) expect([field.name, (field.description ?? "").length > 10]).toEqual([field.name, true]);
    expect(meta.timePartitioning).toMatchObject({ type: "DAY", field: "ingested_at" });
    expect(meta.clustering).toEqual({ fields: ["order_id"] });
  });

  it("creates every view with exactly the columns its config documents", async () => {
    for (const view of VIEWS) {
      const meta = await metadata(bigquery, view);
      expect([view, meta.type]).toEqual([view, "VIEW"]);
      const columns = (meta.schema?.fields ?? []).map((field) => field.name ?? "").sort();
      expect([view, columns]).toEqual([view, documented(graph, view)]);
    }
  });

  it("keeps rows inserted with the client on a second run", async () => {
    await insertRaw(bigquery, [
      rawRow("o-keep", "k1", "Pending", "2025-03-01T10:00:00Z"),
      rawRow("o-keep", "k2", "Shipped", "2025-03-01T11:00:00Z", { updated_at: "2025-03-01T10:59:00Z" }),
    ]);
    const before = await metadata(bigquery, "orders_raw");
    const result = await runDataform("run", [], { url: local.url });
    expect(describeRun(result)).toMatch(/^exit 0/);
    expect(await count(bigquery, "orders_raw")).toBe(2);
    const after = await metadata(bigquery, "orders_raw");
    expect(after.schema).toEqual(before.schema);
    const [latest] = await bigquery.query(`SELECT order_id, order_status, version_count FROM ${tableName("latest_order_v")}`);
    expect(latest).toEqual([{ order_id: "o-keep", order_status: "Shipped", version_count: 2 }]);
  });

  it("dry run on a warehouse with data changes nothing", async () => {
    const tables = [
      ...(await tableNames(bigquery, DATASET)).map((name) => [DATASET, name]),
      ...(await tableNames(bigquery, ASSERTION_DATASET)).map((name) => [ASSERTION_DATASET, name]),
    ];
    expect(tables.length).toBeGreaterThan(VIEWS.length);
    const snapshot = () =>
      Promise.all(
        tables.map(async ([dataset, name]) => {
          const meta = await metadata(bigquery, name, dataset);
          return [dataset, name, meta.lastModifiedTime, meta.schema, meta.view?.query];
        }),
      );
    const before = await snapshot();
    const rowsBefore = await count(bigquery, "orders_raw");
    const result = await runDataform("run", ["--dry-run"], { url: local.url });
    expect(describeRun(result)).toMatch(/^exit 0/);
    expect(await snapshot()).toEqual(before);
    expect(await count(bigquery, "orders_raw")).toBe(rowsBefore);
  });

  it("passes every Dataform unit test", async () => {
    const result = await runDataform("test", ["--json"], { url: local.url });
    const results = unitTestResults(result);
    expect(results.filter((test) => !test.successful)).toEqual([]);
    expect(results.map((test) => test.name).sort()).toEqual((graph.tests ?? []).map((test) => test.name).sort());
    expect(result.code).toBe(0);
  });
});

describe("dataform run with rows that break an invariant", () => {
  let local: LocalBigQuery;
  let bigquery: BigQuery;

  beforeAll(async () => {
    local = await startLocalBigQuery({ quiet: true });
    bigquery = new BigQuery({ projectId: GCP_PROJECT, apiEndpoint: local.url });
    const first = await runDataform("run", [], { url: local.url });
    expect(describeRun(first)).toMatch(/^exit 0/);
  });
  afterAll(async () => {
    await local?.stop();
  });

  it("fails exactly the assertions guarding those invariants", async () => {
    await insertRaw(bigquery, [
      rawRow("o-fine", "f1", "Pending", "2025-03-01T10:00:00Z"),
      rawRow("o-lost", "l1", "Lost", "2025-03-01T10:00:00Z"),
      // order_date one hour after the ingest; o-skew is within the clock-skew tolerance.
      rawRow("o-future", "u1", "Pending", "2025-03-01T10:00:00Z", { order_date: "2025-03-01T11:00:00Z" }),
      rawRow("o-skew", "s1", "Pending", "2025-03-01T10:00:00Z", { order_date: "2025-03-01T10:01:00Z" }),
      // Shipped an hour before it was ordered (the app's updated_at or order_date is wrong): hours_to_shipped = -1.
      // o-skew-shipped ships one minute "before" its order_date, within the clock-skew tolerance.
      rawRow("o-shipped-early", "x1", "Shipped", "2025-03-01T10:00:00Z", { order_date: "2025-03-01T10:00:00Z", updated_at: "2025-03-01T09:00:00Z" }),
      rawRow("o-skew-shipped", "y1", "Shipped", "2025-03-01T10:00:00Z", { order_date: "2025-03-01T10:01:00Z" }),
    ]);
    const result = await runDataform("run", [], { url: local.url });
    expect(result.code).not.toBe(0);
    const failed = actionsWith(actionOutcomes(result), "Assertion failed");
    expect(failed).toEqual(
      [
        "orders_raw_non_canonical_status",
        "orders_raw_order_date_after_ingest",
        "order_lifecycle_negative_duration",
        "ecommerce_orders_latest_order_v_assertions_rowConditions",
        "ecommerce_orders_first_order_events_v_assertions_rowConditions",
      ]
        .map((name) => `${ASSERTION_DATASET}.${name}`)
        .sort(),
    );
    expect(`${result.stdout}${result.stderr}`).toMatch(/Assertion failed: query returned 1 row\(s\)/);

    const [flagged] = await bigquery.query(`SELECT order_id FROM ${tableName("orders_raw_order_date_after_ingest", ASSERTION_DATASET)}`);
    expect(flagged).toEqual([{ order_id: "o-future" }]);
    const [negative] = await bigquery.query(
      `SELECT order_id, hours_to_shipped, hours_to_delivered FROM ${tableName("order_lifecycle_negative_duration", ASSERTION_DATASET)}`,
    );
    expect(negative).toEqual([{ order_id: "o-shipped-early", hours_to_shipped: -1, hours_to_delivered: null }]);
    const [nonCanonical] = await bigquery.query(`SELECT order_id, order_status FROM ${tableName("orders_raw_non_canonical_status", ASSERTION_DATASET)}`);
    expect(nonCanonical).toEqual([{ order_id: "o-lost", order_status: "Lost" }]);
  });
});

describe("orders_raw created by an older version of the project", () => {
  let local: LocalBigQuery;
  let bigquery: BigQuery;

  beforeAll(async () => {
    local = await startLocalBigQuery({ quiet: true });
    bigquery = new BigQuery({ projectId: GCP_PROJECT, apiEndpoint: local.url });
  });
  afterAll(async () => {
    await local?.stop();
  });

  it("is upgraded in place by dataform run: new columns added, rows kept", async () => {
    await bigquery.query(`CREATE SCHEMA \`${GCP_PROJECT}.${DATASET}\``);
    await bigquery.query(`CREATE TABLE ${tableName("orders_raw")} (
      event_id STRING NOT NULL, order_id STRING NOT NULL, order_date TIMESTAMP NOT NULL, order_details STRING,
      order_status STRING NOT NULL, updated_at TIMESTAMP, ingested_at TIMESTAMP NOT NULL
    ) PARTITION BY DATE(ingested_at) CLUSTER BY order_id`);
    await bigquery.query(`INSERT INTO ${tableName("orders_raw")} (event_id, order_id, order_date, order_status, ingested_at)
      VALUES ('old-1', 'o-old', TIMESTAMP '2024-01-01 00:00:00+00', 'Delivered', TIMESTAMP '2024-01-02 00:00:00+00')`);

    const result = await runDataform("run", [], { url: local.url });
    expect(describeRun(result)).toMatch(/^exit 0/);
    const meta = await metadata(bigquery, "orders_raw");
    expect((meta.schema?.fields ?? []).map((field) => field.name)).toEqual(
      expect.arrayContaining(["raw_payload", "request_id", "caller"]),
    );
    const [rows] = await bigquery.query(`SELECT event_id, raw_payload, caller FROM ${tableName("orders_raw")}`);
    expect(rows).toEqual([{ event_id: "old-1", raw_payload: null, caller: null }]);
  });
});

describe("dataform test on a view changed to be wrong (copy of the project)", () => {
  let local: LocalBigQuery;
  let copy: ReturnType<typeof copyProject>;

  beforeAll(async () => {
    local = await startLocalBigQuery({ quiet: true });
    copy = copyProject();
  });
  afterAll(async () => {
    copy?.remove();
    await local?.stop();
  });

  it("fails that view's unit tests and only those", async () => {
    const file = join(copy.dir, "definitions", "outputs", "latest_order_v.sqlx");
    const sqlx = readFileSync(file, "utf8");
    // The mistake: the first version instead of the last.
    writeFileSync(file, sqlx.replace("WHERE version_seq = version_count", "WHERE version_seq = 1"));
    const result = await runDataform("test", ["--json"], { url: local.url, cwd: copy.dir });
    expect(result.code).not.toBe(0);
    const failed = unitTestResults(result)
      .filter((test) => !test.successful)
      .map((test) => test.name)
      .sort();
    // single_version is the one case whose first version is also its last.
    expect(failed).toEqual(
      [
        "several_versions",
        "event_time_tie",
        "event_time_and_ingest_tie",
        "late_arrival",
        "duplicated_event_id",
        "cancelled",
        "status_goes_back",
      ]
        .map((name) => `latest_order_v__${name}`)
        .sort(),
    );
  });
});
