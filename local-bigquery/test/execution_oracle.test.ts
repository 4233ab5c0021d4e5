/**
 * The differential oracle on values GoogleSQL leaves unordered: an ARRAY subquery without ORDER BY,
 * ARRAY_AGG and STRING_AGG without ORDER BY. DuckDB's parallel hash aggregates put their elements
 * in another order than the reference evaluator (and in another order from run to run), which is
 * correct; the oracle compares such arrays as multisets and does not compare such strings.
 */
import { startHarness, type Harness } from "./support/executor_harness";

describe("executor: the oracle and undefined orders", () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => {
    await h.stop();
  });

  const sorted = (cell: unknown): unknown[] => [...(cell as unknown[])].sort();
  const first = async (sql: string): Promise<unknown> => (await h.run(sql)).rows?.[0]?.[0];

  it.each([
    "SELECT ARRAY(SELECT DISTINCT x FROM UNNEST([5, 3, 1, 4, 2, 5, 3]) x) AS a",
    "SELECT ARRAY(SELECT x FROM UNNEST([5, 3, 1, 4, 2]) x GROUP BY x) AS a",
    "SELECT ARRAY_AGG(DISTINCT x) AS a FROM UNNEST([5, 3, 1, 4, 2, 5]) x",
  ])("answers %s with every element once, in some order", async (sql) => {
    expect(sorted(await first(sql))).toEqual(["1", "2", "3", "4", "5"]);
  });

  it("answers STRING_AGG(DISTINCT) with every element once", async () => {
    expect(String(await first("SELECT STRING_AGG(DISTINCT x) AS a FROM UNNEST(['e', 'c', 'a', 'd', 'b', 'e']) x")).split(",").sort()).toEqual(["a", "b", "c", "d", "e"]);
  });

  it("still compares an ordered array in order", async () => {
    expect(await first("SELECT ARRAY(SELECT DISTINCT x FROM UNNEST([5, 3, 1, 4, 2, 5]) x ORDER BY x DESC) AS a")).toEqual(["5", "4", "3", "2", "1"]);
    expect(await first("SELECT ARRAY_AGG(x ORDER BY x) AS a FROM UNNEST([5, 3, 1, 4, 2]) x")).toEqual(["1", "2", "3", "4", "5"]);
  });

  it("declares a script variable from an unordered ARRAY subquery (Dataform's INSERT_OVERWRITE does)", async () => {
    const result = await h.run("DECLARE days DEFAULT (ARRAY(SELECT DISTINCT d FROM UNNEST([3, 1, 2, 3, 1]) d)); SELECT ARRAY_LENGTH(days) AS n");
    expect(result.rows).toEqual([["3"]]);
  });
});
