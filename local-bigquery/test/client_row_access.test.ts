/**
 * Row-level security through the real client: the rowAccessPolicies REST resource, the DDL, and
 * the rows a query sees. Expected answers follow BigQuery's documented behaviour: once a table has
 * a policy, a caller sees only the rows of the policies granted to it (none granted: no rows),
 * also through views. The local caller is every user, group and domain, allUsers and
 * allAuthenticatedUsers, and no service account.
 */
import { PROJECT, failure, rest, startForTest, type Running } from "./support/local_bigquery";

describe("local BigQuery: row access policies", () => {
  let t: Running;
  const policies = (table: string): string => `/projects/${PROJECT}/datasets/rap/tables/${table}/rowAccessPolicies`;
  const ids = async (sql: string): Promise<number[]> => (await t.bq.query(sql))[0].map((r: { id: number }) => r.id);
  const policyBody = (table: string, policyId: string, filterPredicate: string, grantees: string[]) => ({
    rowAccessPolicyReference: { projectId: PROJECT, datasetId: "rap", tableId: table, policyId },
    filterPredicate,
    grantees,
  });

  beforeAll(async () => {
    t = await startForTest();
    await t.bq.createDataset("rap");
    await t.bq.query("CREATE TABLE rap.orders AS SELECT 1 AS id, 'US' AS country UNION ALL SELECT 2, 'EU' UNION ALL SELECT 3, 'JP' UNION ALL SELECT 4, 'US'");
    await t.bq.query("CREATE VIEW rap.orders_v AS SELECT id, country FROM rap.orders");
  });
  afterAll(async () => {
    await t.server.stop();
  });

  it("a table without policies shows every row", async () => {
    expect(await ids("SELECT id FROM rap.orders ORDER BY id")).toEqual([1, 2, 3, 4]);
  });

  it("insert, get, list: the policy filters queries, through views too", async () => {
    const inserted = await rest(t.server.url, "POST", policies("orders"), policyBody("orders", "us_only", "country = 'US'", ["user:alice@example.com"]));
    expect(inserted.status).toBe(200);
    expect(inserted.json).toMatchObject({
      rowAccessPolicyReference: { projectId: PROJECT, datasetId: "rap", tableId: "orders", policyId: "us_only" },
      filterPredicate: "country = 'US'",
    });
    expect(inserted.json).not.toHaveProperty("grantees"); // input only in BigQuery's API
    const got = await rest(t.server.url, "GET", `${policies("orders")}/us_only`);
    expect(got.json).toMatchObject({ filterPredicate: "country = 'US'" });
    const listed = await rest(t.server.url, "GET", policies("orders"));
    expect((listed.json?.rowAccessPolicies as unknown[]).length).toBe(1);
    expect(await ids("SELECT id FROM rap.orders ORDER BY id")).toEqual([1, 4]);
    expect(await ids("SELECT id FROM rap.orders_v ORDER BY id")).toEqual([1, 4]);
    expect(await ids("SELECT o.id FROM rap.orders AS o JOIN rap.orders AS p USING (id) ORDER BY o.id")).toEqual([1, 4]);
    expect((await t.bq.query("SELECT COUNT(*) AS n FROM rap.orders"))[0]).toEqual([{ n: 2 }]);
  });

  it("several granted policies show the union of their rows; one granted to another principal adds none", async () => {
    await rest(t.server.url, "POST", policies("orders"), policyBody("orders", "jp_for_sa", "country = 'JP'", ["serviceAccount:etl@example.com"]));
    expect(await ids("SELECT id FROM rap.orders ORDER BY id")).toEqual([1, 4]);
    await rest(t.server.url, "POST", policies("orders"), policyBody("orders", "eu_for_all", "country = 'EU'", ["allUsers"]));
    expect(await ids("SELECT id FROM rap.orders ORDER BY id")).toEqual([1, 2, 4]);
  });

  it("getIamPolicy shows the grantees; update replaces the predicate; a duplicate or unknown id is refused", async () => {
    const iam = await rest(t.server.url, "POST", `${policies("orders")}/jp_for_sa:getIamPolicy`, {});
    expect(iam.json?.bindings).toEqual([{ role: "roles/bigquery.filteredDataViewer", members: ["serviceAccount:etl@example.com"] }]);
    const again = await rest(t.server.url, "POST", policies("orders"), policyBody("orders", "us_only", "TRUE", ["user:alice@example.com"]));
    expect(again.status).toBe(409);
    const missing = await rest(t.server.url, "GET", `${policies("orders")}/nope`);
    expect(missing.status).toBe(404);
    const updated = await rest(t.server.url, "PUT", `${policies("orders")}/jp_for_sa`, policyBody("orders", "jp_for_sa", "country = 'JP'", ["group:eng@example.com"]));
    expect(updated.status).toBe(200);
    expect(await ids("SELECT id FROM rap.orders ORDER BY id")).toEqual([1, 2, 3, 4]);
    const badPredicate = await rest(t.server.url, "POST", policies("orders"), policyBody("orders", "bad", "no_such_column = 1", ["allUsers"]));
    expect(badPredicate.status).toBe(400);
  });

  it("delete and batchDelete remove policies; with none left, every row shows again", async () => {
    expect((await rest(t.server.url, "DELETE", `${policies("orders")}/eu_for_all`)).status).toBe(204);
    expect(await ids("SELECT id FROM rap.orders ORDER BY id")).toEqual([1, 3, 4]);
    expect((await rest(t.server.url, "POST", `${policies("orders")}:batchDelete`, { policyIds: ["us_only", "jp_for_sa"] })).status).toBe(204);
    expect((await rest(t.server.url, "GET", policies("orders"))).json).toEqual({});
    expect(await ids("SELECT id FROM rap.orders ORDER BY id")).toEqual([1, 2, 3, 4]);
  });

  it("DDL: CREATE [OR REPLACE] ROW ACCESS POLICY, DROP ROW ACCESS POLICY, DROP ALL ROW ACCESS POLICIES", async () => {
    const [job] = await t.bq.createQueryJob({
      query: "CREATE ROW ACCESS POLICY eu ON rap.orders GRANT TO ('user:bob@example.com') FILTER USING (country = 'EU')",
    });
    await job.getQueryResults();
    const [meta] = await job.getMetadata();
    expect(meta.statistics.query.statementType).toBe("CREATE_ROW_ACCESS_POLICY");
    expect(await ids("SELECT id FROM rap.orders ORDER BY id")).toEqual([2]);
    expect((await failure(t.bq.query("CREATE ROW ACCESS POLICY eu ON rap.orders GRANT TO ('allUsers') FILTER USING (TRUE)"))).code).toBe(409);
    await t.bq.query("CREATE OR REPLACE ROW ACCESS POLICY eu ON rap.orders GRANT TO ('allUsers') FILTER USING (id >= 3)");
    expect(await ids("SELECT id FROM rap.orders ORDER BY id")).toEqual([3, 4]);
    await t.bq.query("CREATE ROW ACCESS POLICY IF NOT EXISTS eu ON rap.orders GRANT TO ('allUsers') FILTER USING (FALSE)");
    expect(await ids("SELECT id FROM rap.orders ORDER BY id")).toEqual([3, 4]);
    await t.bq.query("CREATE ROW ACCESS POLICY sa ON rap.orders GRANT TO ('serviceAccount:x@example.com') FILTER USING (TRUE)");
    await t.bq.query("DROP ROW ACCESS POLICY eu ON rap.orders");
    expect(await ids("SELECT id FROM rap.orders ORDER BY id")).toEqual([]);
    expect((await failure(t.bq.query("DROP ROW ACCESS POLICY eu ON rap.orders"))).code).toBe(404);
    await t.bq.query("DROP ROW ACCESS POLICY IF EXISTS eu ON rap.orders");
    await t.bq.query("DROP ALL ROW ACCESS POLICIES ON rap.orders");
    expect(await ids("SELECT id FROM rap.orders ORDER BY id")).toEqual([1, 2, 3, 4]);
  });

  it("DML, tabledata.list and copies need the TRUE filter; copies keep the policies", async () => {
    await t.bq.query("CREATE TABLE rap.small AS SELECT 1 AS id, 'US' AS country UNION ALL SELECT 2, 'EU'");
    await t.bq.query("CREATE ROW ACCESS POLICY us ON rap.small GRANT TO ('allUsers') FILTER USING (country = 'US')");
    const denied = await failure(t.bq.query("DELETE FROM rap.small WHERE TRUE"));
    expect([denied.code, denied.reason]).toEqual([403, "accessDenied"]);
    expect((await rest(t.server.url, "GET", `/projects/${PROJECT}/datasets/rap/tables/small/data`)).status).toBe(403);
    expect((await failure(t.bq.query("CREATE TABLE rap.small_copy COPY rap.small"))).code).toBe(403);
    await t.bq.query("CREATE ROW ACCESS POLICY everything ON rap.small GRANT TO ('serviceAccount:etl@example.com') FILTER USING (TRUE)");
    expect((await failure(t.bq.query("UPDATE rap.small SET country = 'JP' WHERE id = 2"))).code).toBe(403);
    await t.bq.query("CREATE OR REPLACE ROW ACCESS POLICY everything ON rap.small GRANT TO ('user:alice@example.com') FILTER USING (TRUE)");
    await t.bq.query("INSERT INTO rap.small VALUES (3, 'JP')");
    expect(await ids("SELECT id FROM rap.small ORDER BY id")).toEqual([1, 2, 3]);
    await t.bq.query("CREATE TABLE rap.small_copy COPY rap.small");
    const copied = await rest(t.server.url, "GET", policies("small_copy"));
    expect((copied.json?.rowAccessPolicies as { rowAccessPolicyReference: { policyId: string } }[]).map((p) => p.rowAccessPolicyReference.policyId)).toEqual(["everything", "us"]);
  });
});
