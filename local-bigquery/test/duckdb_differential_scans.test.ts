/**
 * Scans beyond SELECT-FROM-WHERE against ZetaSQL's reference evaluator: RANGE frames with offsets,
 * WITH RECURSIVE, PIVOT and UNPIVOT; ROLLUP (which the reference lacks) against its definition,
 * the UNION ALL of one GROUP BY per grouping set.
 */
import { agree, differentialSuite } from "./support/differential";

describe("DuckDB compiler vs ZetaSQL: scans", () => {
  const { same, diff } = differentialSuite();

  it("RANGE frames with offsets over INT64 and NUMERIC keys, at the INT64 limits, with NULL keys", async () => {
    await same("SELECT id, SUM(id) OVER (ORDER BY a RANGE BETWEEN 2 PRECEDING AND 1 FOLLOWING) s, COUNT(*) OVER (ORDER BY a DESC RANGE BETWEEN 7 PRECEDING AND 7 FOLLOWING) c, MIN(id) OVER (ORDER BY a RANGE BETWEEN CURRENT ROW AND 9223372036854775807 FOLLOWING) m FROM t");
    await same("SELECT id, COUNT(*) OVER (ORDER BY a RANGE BETWEEN 9223372036854775807 PRECEDING AND 1 PRECEDING) c, COUNT(*) OVER (PARTITION BY b ORDER BY a DESC RANGE BETWEEN 1 FOLLOWING AND 100 FOLLOWING) d, COUNT(*) OVER (ORDER BY a RANGE 3 PRECEDING) e FROM t");
    await same("SELECT id, SUM(n) OVER (ORDER BY n RANGE BETWEEN 1 PRECEDING AND CURRENT ROW) s, COUNT(*) OVER (ORDER BY n RANGE BETWEEN UNBOUNDED PRECEDING AND 2.5 FOLLOWING) c, COUNT(*) OVER (ORDER BY n DESC RANGE BETWEEN 0.000000001 PRECEDING AND 3 FOLLOWING) d FROM t WHERE id > 1");
    await same("SELECT id, COUNT(*) OVER (ORDER BY n RANGE BETWEEN 1 PRECEDING AND 1 FOLLOWING) c FROM t");
    expect(await diff().refusal("SELECT COUNT(*) OVER (ORDER BY x RANGE 3 PRECEDING) FROM t")).toBe("unsupported: RANGE frame with offsets over TYPE_DOUBLE");
  });

  it("WITH RECURSIVE: UNION ALL and UNION DISTINCT, joins in the recursive term, INT64 overflow", async () => {
    await same("WITH RECURSIVE r AS (SELECT 1 AS n UNION ALL SELECT n + 1 FROM r WHERE n < 5) SELECT n FROM r");
    await same("WITH RECURSIVE r AS (SELECT id, a, 0 AS depth FROM t WHERE id = 1 UNION ALL SELECT t.id, t.a, r.depth + 1 FROM r JOIN t ON t.id = r.id + 1 WHERE r.depth < 10) SELECT * FROM r ORDER BY id");
    await same("WITH RECURSIVE x AS (SELECT 1 AS k), r AS (SELECT k, 'a' AS path FROM x UNION ALL SELECT k * 2, CONCAT(path, '.') FROM r WHERE k < 100) SELECT k, path FROM r");
    await same("WITH RECURSIVE r AS (SELECT 9223372036854775800 AS n UNION ALL SELECT n + 3 FROM r WHERE n > 0) SELECT n FROM r");
    await same("WITH RECURSIVE r AS (SELECT 1 AS n, 'x' AS s UNION DISTINCT SELECT MOD(n + 1, 4), IF(n = 2, 'y', 'x') FROM r) SELECT n, s FROM r");
  });

  it("PIVOT (NULL and NaN values match their kind) and UNPIVOT (EXCLUDE and INCLUDE NULLS)", async () => {
    await same("SELECT * FROM (SELECT s, b, id FROM t) PIVOT (COUNT(id) AS c, SUM(id) AS sm FOR b IN (TRUE AS yes, FALSE AS nope, NULL AS nul))");
    await same("SELECT * FROM (SELECT b, x FROM t) PIVOT (COUNT(*) AS c, MAX(x) AS m FOR x IN (CAST('NaN' AS FLOAT64) AS nan_, 2.5 AS two))");
    await same("SELECT * FROM (SELECT s, b, x, n FROM t) PIVOT (SUM(x) AS sx, AVG(n) AS an, ARRAY_AGG(s ORDER BY s) AS ag FOR b IN (TRUE AS yes, NULL AS nul))", [], ["sx_yes", "sx_nul"]);
    await same("SELECT * FROM (SELECT b, s FROM t) PIVOT (COUNT(*) AS c FOR s IN ('a' AS a_, 'B' AS b_, '' AS e_))");
    await same("SELECT * FROM (SELECT id, a, id * 2 AS a2 FROM t) UNPIVOT (v FOR k IN (a, a2))");
    await same("SELECT * FROM (SELECT id, a, id * 2 AS a2 FROM t) UNPIVOT INCLUDE NULLS (v FOR k IN (a AS 'first', a2 AS 'second'))");
    await same("SELECT * FROM (SELECT id, a, CAST(NULL AS INT64) AS a2, s, CAST(NULL AS STRING) AS s2 FROM t) UNPIVOT ((v, w) FOR k IN ((a, s) AS 'first', (a2, s2) AS 'second'))");
  });

  it("ROLLUP equals the UNION ALL of its grouping sets (the reference evaluator lacks ROLLUP)", async () => {
    const cases: [string, string][] = [
      [
        "SELECT s, b, COUNT(*) AS c, SUM(id) AS si, MAX(x) AS mx FROM t GROUP BY ROLLUP(s, b)",
        "SELECT s, b, COUNT(*) AS c, SUM(id) AS si, MAX(x) AS mx FROM t GROUP BY s, b UNION ALL SELECT s, NULL, COUNT(*), SUM(id), MAX(x) FROM t GROUP BY s UNION ALL SELECT NULL, NULL, COUNT(*), SUM(id), MAX(x) FROM t",
      ],
      [
        "SELECT EXTRACT(YEAR FROM d) AS y, COUNT(*) AS c FROM t GROUP BY ROLLUP(y) HAVING COUNT(*) > 1",
        "SELECT * FROM (SELECT EXTRACT(YEAR FROM d) AS y, COUNT(*) AS c FROM t GROUP BY y UNION ALL SELECT NULL, COUNT(*) FROM t) WHERE c > 1",
      ],
      ["SELECT a, COUNT(*) AS c FROM e GROUP BY ROLLUP(a)", "SELECT a, COUNT(*) AS c FROM e GROUP BY a UNION ALL SELECT NULL, COUNT(*) FROM e"],
    ];
    for (const [sql, definition] of cases) {
      const { reference, duck, compiled } = await diff().run(sql, [], definition);
      if (typeof compiled === "string") throw new Error(`${sql}\n  refused: ${compiled}`);
      expect({ sql, duck: duck.rows, agree: agree(reference, duck, false) }).toEqual({ sql, duck: duck.rows, agree: true });
    }
  });
});
