/** `npm run looker:link`: the Linking API URL, taken apart with URL/URLSearchParams. */
import { spawnSync } from "node:child_process";
import { join, resolve } from "node:path";

import { DASHBOARD_VIEWS, lookerStudioLink, main } from "../../scripts/looker_link";

const ROOT = resolve(__dirname, "../..");

/** The data sources in a Linking API URL, by alias: { ds0: { connector: ..., ... } }. */
const dataSources = (url: URL): Record<string, Record<string, string>> => {
  const out: Record<string, Record<string, string>> = {};
  for (const [key, value] of url.searchParams) {
    const m = /^ds\.([^.]+)\.(.+)$/.exec(key);
    if (m) (out[m[1]] ??= {})[m[2]] = value;
  }
  return out;
};

test("creates a report whose data sources are the three views of the project's dataset", () => {
  const url = new URL(lookerStudioLink({ project: "acme-orders-1", dataset: "orders_prod" }));
  expect(`${url.origin}${url.pathname}`).toBe("https://lookerstudio.google.com/reporting/create");
  expect(url.searchParams.get("r.reportName")).toContain("acme-orders-1.orders_prod");
  expect(url.searchParams.has("c.reportId")).toBe(false);

  const sources = dataSources(url);
  expect(Object.values(sources).map((s) => s.tableId)).toEqual(["latest_order_v", "first_order_events_v", "order_lifecycle_metrics_v"]);
  for (const source of Object.values(sources)) {
    expect(source).toEqual({
      connector: "bigQuery",
      type: "TABLE",
      projectId: "acme-orders-1",
      datasetId: "orders_prod",
      tableId: source.tableId,
      billingProjectId: "acme-orders-1",
      datasourceName: source.tableId,
    });
  }
  // Nothing but the report name and the data sources: no calculated fields in the URL.
  expect([...url.searchParams.keys()].filter((k) => !k.startsWith("ds.") && k !== "r.reportName")).toEqual([]);
});

test("the dataset defaults to ecommerce_orders and survives odd characters in the report name", () => {
  const url = new URL(lookerStudioLink({ project: "p-1x", reportName: "Orders & returns: 100%" }));
  expect(url.searchParams.get("r.reportName")).toBe("Orders & returns: 100%");
  expect(new Set(Object.values(dataSources(url)).map((s) => s.datasetId))).toEqual(new Set(["ecommerce_orders"]));
});

test("the views and the columns the dashboard uses are ones Dataform defines and documents", () => {
  const compiled = spawnSync(join(ROOT, "node_modules", ".bin", "dataform"), ["compile", "--json"], { cwd: ROOT, encoding: "utf8" });
  expect(compiled.status).toBe(0);
  const graph = JSON.parse(compiled.stdout) as {
    tables: Array<{ target: { name: string }; type: string; actionDescriptor?: { columns?: Array<{ path: string[] }> } }>;
  };
  for (const { view, fields } of DASHBOARD_VIEWS) {
    const table = graph.tables.find((t) => t.target.name === view);
    expect(table?.type).toBe("view");
    const columns = (table?.actionDescriptor?.columns ?? []).map((c) => c.path.join("."));
    expect({ view, missing: fields.filter((f) => !columns.includes(f)) }).toEqual({ view, missing: [] });
  }
});

describe("command line", () => {
  let out: string[];
  let err: string[];
  beforeEach(() => {
    out = [];
    err = [];
    jest.spyOn(console, "log").mockImplementation((s: string) => void out.push(s));
    jest.spyOn(console, "error").mockImplementation((s: string) => void err.push(s));
  });
  afterEach(() => jest.restoreAllMocks());

  test("prints the URL for --project and --dataset", () => {
    expect(main(["--project=acme-orders-1", "--dataset=orders_prod"], {})).toBe(0);
    expect(out).toEqual([lookerStudioLink({ project: "acme-orders-1", dataset: "orders_prod" })]);
  });

  test("falls back to BIGQUERY_PROJECT and BIGQUERY_DATASET", () => {
    expect(main([], { BIGQUERY_PROJECT: "env-project", BIGQUERY_DATASET: "env_ds" })).toBe(0);
    expect(dataSources(new URL(out[0])).ds0).toMatchObject({ projectId: "env-project", datasetId: "env_ds" });
  });

  test.each([
    [[], "--project is required"],
    [["--project=Bad Project"], "is not a Google Cloud project id"],
    [["--project=p-123", "--dataset=no-dashes"], "is not a BigQuery dataset id"],
    [["--project=p-123", "--colour"], "Unknown option '--colour'"],
  ])("%j exits 2 with a message", (argv, message) => {
    expect(main(argv, {})).toBe(2);
    expect(out).toEqual([]);
    expect(err.join("\n")).toContain(message);
  });

  test("npm run looker:link prints exactly the URL", () => {
    const r = spawnSync("npm", ["run", "--silent", "looker:link", "--", "--project=acme-orders-1"], { cwd: ROOT, encoding: "utf8" });
    expect(r.status).toBe(0);
    expect(r.stdout.trim()).toBe(lookerStudioLink({ project: "acme-orders-1" }));
  });
});
