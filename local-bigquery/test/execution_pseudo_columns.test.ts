/**
 * Wildcard tables and ingestion-time partitioning through the executor (the differential oracle
 * on: every compiled query is also answered by ZetaSQL's reference evaluator). Expected answers
 * follow BigQuery's documentation: a wildcard reads every table whose name starts with the prefix,
 * with the schema of the most recently created one, and _TABLE_SUFFIX; an ingestion-time
 * partitioned table's rows carry _PARTITIONTIME (the write time truncated to the unit) and, daily,
 * _PARTITIONDATE. Pseudo-columns are readable by name and never part of SELECT *.
 */
import { startHarness, type Harness } from "./support/executor_harness";

describe("executor: wildcard tables and ingestion-time pseudo-columns", () => {
  let h: Harness;
  const rows = async (sql: string): Promise<unknown[][]> => (await h.run(sql)).rows ?? [];

  beforeAll(async () => {
    h = await startHarness();
    await h.run("CREATE SCHEMA w");
    await h.run("CREATE TABLE w.events_20240101 AS SELECT 1 AS id, 'click' AS event UNION ALL SELECT 2, 'view'");
    await h.run("CREATE TABLE w.events_20240102 AS SELECT 3 AS id, 'click' AS event");
    // The newest table has one more column: it sets the wildcard's schema.
    await new Promise((resolve) => setTimeout(resolve, 5));
    await h.run("CREATE TABLE w.events_20240201 AS SELECT 4 AS id, 'buy' AS event, 9.5 AS price");
    await h.run("CREATE TABLE w.other AS SELECT 99 AS id");
  });
  afterAll(async () => {
    await h.stop();
  });

  describe("wildcard tables", () => {
    it("read every table of the prefix, with _TABLE_SUFFIX in SELECT, WHERE and GROUP BY", async () => {
      expect(await rows("SELECT _TABLE_SUFFIX AS s, id FROM `w.events_*` ORDER BY id")).toEqual([
        ["20240101", "1"],
        ["20240101", "2"],
        ["20240102", "3"],
        ["20240201", "4"],
      ]);
      expect(await rows("SELECT id FROM `w.events_*` WHERE _TABLE_SUFFIX BETWEEN '20240101' AND '20240131' ORDER BY id")).toEqual([["1"], ["2"], ["3"]]);
      expect(await rows("SELECT SUBSTR(_TABLE_SUFFIX, 1, 6) AS m, COUNT(*) AS n FROM `w.events_*` GROUP BY m ORDER BY m")).toEqual([
        ["202401", "3"],
        ["202402", "1"],
      ]);
    });

    it("take the newest table's schema (older tables read NULL for its new columns); SELECT * has no _TABLE_SUFFIX", async () => {
      const all = await h.run("SELECT * FROM `w.events_*` ORDER BY id");
      expect(all.schema?.map((f) => f.name)).toEqual(["id", "event", "price"]);
      expect(all.rows).toEqual([
        ["1", "click", null],
        ["2", "view", null],
        ["3", "click", null],
        ["4", "buy", "9.5"],
      ]);
    });

    it("a longer prefix, a full path, and a wildcard inside joins and DML sources", async () => {
      expect(await rows("SELECT COUNT(*) FROM `test-project.w.events_202401*`")).toEqual([["3"]]);
      expect(await rows("SELECT e.id AS e, o.id AS o FROM `w.events_*` AS e CROSS JOIN w.other AS o WHERE e._TABLE_SUFFIX = '20240201'")).toEqual([["4", "99"]]);
      await h.run("CREATE TABLE w.copied (id INT64, suffix STRING)");
      const inserted = await h.run("INSERT INTO w.copied SELECT id, _TABLE_SUFFIX FROM `w.events_2024010*`");
      expect(inserted.numDmlAffectedRows).toBe(3);
    });

    it("is never answered from the cache", async () => {
      await h.run("SELECT COUNT(*) FROM `w.events_*`");
      expect((await h.run("SELECT COUNT(*) FROM `w.events_*`")).cacheHit).toBeFalsy();
    });

    it("refuses what BigQuery refuses: no matching table, a matching view, clashing column types, a DML target", async () => {
      expect((await h.failure("SELECT * FROM `w.nothing_*`")).message).toMatch(/Not found: Table test-project:w.nothing_\*/);
      await h.run("CREATE TABLE w.mixed_a AS SELECT 1 AS x");
      await h.run("CREATE TABLE w.mixed_b AS SELECT 'one' AS x");
      expect((await h.failure("SELECT x FROM `w.mixed_*`")).message).toMatch(/Cannot read field of type (INT64 as STRING|STRING as INT64) Field: x/);
      await h.run("CREATE VIEW w.view_a AS SELECT 1 AS x");
      expect((await h.failure("SELECT x FROM `w.view_*`")).message).toMatch(/Views cannot be queried through prefix/);
      expect((await h.failure("DELETE FROM `w.events_*` WHERE TRUE")).message).toMatch(/Not found|wildcard/);
    });
  });

  describe("ingestion-time partitioning", () => {
    beforeAll(async () => {
      await h.run("CREATE TABLE w.ingested (id INT64, payload STRING) PARTITION BY _PARTITIONDATE");
      await h.run("INSERT INTO w.ingested (id, payload) VALUES (1, 'a'), (2, 'b')");
      await h.store.appendRows(h.ref("w", "ingested"), [["3", "c"]]); // insertAll's path
    });

    it("each row carries _PARTITIONTIME (its write day) and _PARTITIONDATE; SELECT * shows neither", async () => {
      const all = await h.run("SELECT * FROM w.ingested ORDER BY id");
      expect(all.schema?.map((f) => f.name)).toEqual(["id", "payload"]);
      expect(
        await rows(`SELECT COUNT(*), COUNTIF(_PARTITIONTIME = TIMESTAMP_TRUNC(CURRENT_TIMESTAMP(), DAY)), COUNTIF(_PARTITIONDATE = CURRENT_DATE())
          FROM w.ingested`),
      ).toEqual([["3", "3", "3"]]);
      expect(await rows("SELECT COUNT(*) FROM w.ingested WHERE _PARTITIONTIME < TIMESTAMP '1900-01-01'")).toEqual([["0"]]);
      const stored = await h.store.readRows(h.ref("w", "ingested"));
      expect(stored.map((r) => r.pseudo?._PARTITIONDATE)).toEqual(Array(3).fill(new Date().toISOString().slice(0, 10)));
    });

    it("rows keep their partition through UPDATE; DELETE and CREATE TABLE AS SELECT read the pseudo-columns", async () => {
      await h.run("UPDATE w.ingested SET payload = 'z' WHERE id = 1");
      expect(await rows("SELECT payload, _PARTITIONDATE = CURRENT_DATE() FROM w.ingested WHERE id = 1")).toEqual([["z", "true"]]);
      await h.run("CREATE TABLE w.dates AS SELECT id, _PARTITIONDATE AS d FROM w.ingested");
      expect(await rows("SELECT COUNT(*) FROM w.dates WHERE d = CURRENT_DATE()")).toEqual([["3"]]);
      expect((await h.run("DELETE FROM w.ingested WHERE _PARTITIONTIME IS NULL")).numDmlAffectedRows).toBe(0);
    });

    it("hourly partitions: _PARTITIONTIME is the hour, and there is no _PARTITIONDATE", async () => {
      await h.run("CREATE TABLE w.hourly (id INT64) PARTITION BY TIMESTAMP_TRUNC(_PARTITIONTIME, HOUR)");
      await h.run("INSERT INTO w.hourly (id) VALUES (1)");
      expect(await rows("SELECT TIMESTAMP_DIFF(CURRENT_TIMESTAMP(), _PARTITIONTIME, MINUTE) < 61, EXTRACT(MINUTE FROM _PARTITIONTIME) FROM w.hourly")).toEqual([["true", "0"]]);
      expect((await h.failure("SELECT _PARTITIONDATE FROM w.hourly")).message).toMatch(/Unrecognized name: _PARTITIONDATE/);
    });

    it("a copy keeps each row's partition", async () => {
      await h.run("CREATE TABLE w.ingested_copy COPY w.ingested");
      expect(await rows("SELECT COUNT(*), COUNTIF(_PARTITIONDATE = CURRENT_DATE()) FROM w.ingested_copy")).toEqual([["3", "3"]]);
    });

    it("INFORMATION_SCHEMA.PARTITIONS counts the rows of each ingestion partition", async () => {
      const today = new Date().toISOString().slice(0, 10).replace(/-/g, "");
      expect(await rows("SELECT partition_id, total_rows FROM w.INFORMATION_SCHEMA.PARTITIONS WHERE table_name = 'ingested'")).toEqual([[today, "3"]]);
    });
  });
});
