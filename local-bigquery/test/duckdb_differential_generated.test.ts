/**
 * The generated differential corpus: seeded random expressions of every kind the compiler handles
 * (INT64, FLOAT64, STRING, BOOL, DATE, TIMESTAMP, NUMERIC, ARRAY), in projections, orders, groups,
 * filters, aggregates, windows and correlated subqueries, over the edge-value table t and a seeded
 * random table r (NULLs, ties, duplicates, extreme values). Every query runs on ZetaSQL's
 * reference evaluator and on DuckDB: answers equal cell for cell (in order where the query
 * orders), or both fail. FLOAT64 SUM/AVG/STDDEV cells are compared within a relative 1e-12
 * (summation order; see support/differential.ts closeEnough).
 */
import type { QueryParameter } from "../src/model";
import { agree, differentialSuite, TABLES } from "./support/differential";
import { expressionGenerator, randomTable, seededRandom, type Kind } from "./support/expression_generator";

const KINDS: Kind[] = ["INT64", "FLOAT64", "STRING", "BOOL", "DATE", "TIMESTAMP", "NUMERIC", "ARRAY"];

/** A query shape: SQL over table T for expression e, and the columns compared approximately. */
type Shape = (e: string, table: string) => [string, string[]?];

const ORDERED_SHAPES: Shape[] = [
  (e, t) => [`SELECT id, ${e} AS e FROM ${t}`],
  (e, t) => [`SELECT id, ${e} AS e FROM ${t} ORDER BY e, id`],
  (e, t) => [`SELECT ${e} AS e, COUNT(*) AS c, MIN(id) AS m FROM ${t} GROUP BY e`],
  (e, t) => [`SELECT id, ${e} AS e FROM ${t} ORDER BY e DESC, id LIMIT 3`],
  (e, t) => [`SELECT id, e, RANK() OVER (ORDER BY e) AS r, FIRST_VALUE(e) OVER (ORDER BY id) AS f, LAG(e) OVER (PARTITION BY b ORDER BY id) AS l, COUNT(e) OVER (PARTITION BY b) AS c FROM (SELECT id, b, ${e} AS e FROM ${t})`],
  (e, t) => [`SELECT id, (SELECT MAX(${e}) FROM ${t} AS t2 WHERE t2.id <= ${t}.id) AS m FROM ${t}`],
];

/** Aggregates per kind over e (ordered where the order shows). */
const AGGREGATES: Partial<Record<Kind, Shape>> = {
  INT64: (e, t) => [`SELECT COUNT(e) AS c, SUM(e) AS s, AVG(e) AS a, MIN(e) AS mi, MAX(e) AS ma, COUNT(DISTINCT e) AS cd, BIT_XOR(e) AS bx, ARRAY_AGG(e ORDER BY id) AS ag FROM (SELECT id, ${e} AS e FROM ${t})`, ["a"]],
  FLOAT64: (e, t) => [`SELECT b, SUM(e) AS s, AVG(e) AS a, MIN(e) AS mi, MAX(e) AS ma, STDDEV(e) AS sd, COUNT(DISTINCT e) AS cd FROM (SELECT b, ${e} AS e FROM ${t}) GROUP BY b`, ["s", "a", "sd"]],
  STRING: (e, t) => [`SELECT STRING_AGG(e, ',' ORDER BY id) AS sa, ARRAY_AGG(e IGNORE NULLS ORDER BY e DESC LIMIT 3) AS ag, MIN(e) AS mi, MAX(e) AS ma, COUNT(DISTINCT e) AS cd FROM (SELECT id, ${e} AS e FROM ${t})`],
  BOOL: (e, t) => [`SELECT b, LOGICAL_AND(e) AS la, LOGICAL_OR(e) AS lo, COUNTIF(e) AS ci, COUNT(*) AS c FROM (SELECT b, ${e} AS e FROM ${t}) GROUP BY b`],
  DATE: (e, t) => [`SELECT MIN(e) AS mi, MAX(e) AS ma, COUNT(DISTINCT e) AS cd, ARRAY_AGG(e ORDER BY id) AS ag FROM (SELECT id, ${e} AS e FROM ${t})`],
  TIMESTAMP: (e, t) => [`SELECT MIN(e) AS mi, MAX(e) AS ma, COUNT(DISTINCT e) AS cd, ARRAY_AGG(e ORDER BY id LIMIT 4) AS ag FROM (SELECT id, ${e} AS e FROM ${t})`],
  NUMERIC: (e, t) => [`SELECT b, SUM(e) AS s, AVG(e) AS a, MIN(e) AS mi, MAX(e) AS ma FROM (SELECT b, ${e} AS e FROM ${t}) GROUP BY b`],
};

function shapesOf(kind: Kind): Shape[] {
  if (kind === "ARRAY") {
    return [
      (e, t) => [`SELECT id, ${e} AS e FROM ${t}`],
      (e, t) => [`SELECT id, ARRAY_LENGTH(${e}) AS l, (SELECT SUM(v) FROM UNNEST(${e}) AS v) AS s FROM ${t} ORDER BY id`],
      (e, t) => [`SELECT id, v, o FROM ${t}, UNNEST(${e}) AS v WITH OFFSET o`],
    ];
  }
  const shapes = [...ORDERED_SHAPES, AGGREGATES[kind] as Shape];
  if (kind === "BOOL") shapes.push((e, t) => [`SELECT id FROM ${t} WHERE ${e} ORDER BY id`]);
  return shapes;
}

describe("DuckDB compiler vs ZetaSQL: the generated corpus", () => {
  const { diff } = differentialSuite([...TABLES, randomTable(seededRandom(7), "r", 30)]);

  /** Runs `count` generated queries of the given kinds; returns how many compiled and the mismatches. */
  async function corpus(seed: number, kinds: Kind[], count: number): Promise<{ compiled: number; refused: string[]; mismatches: string[] }> {
    const generate = expressionGenerator(seededRandom(seed), KINDS);
    const mismatches: string[] = [];
    const refused: string[] = [];
    let compiled = 0;
    for (let n = 0; n < count; n++) {
      const kind = kinds[n % kinds.length];
      const shapes = shapesOf(kind);
      const table = Math.floor(n / kinds.length) % 2 === 0 ? "r" : "t";
      const [sql, approx = []] = shapes[Math.floor(n / (kinds.length * 2)) % shapes.length](generate(kind), table);
      const params: QueryParameter[] = [];
      const { reference, duck, compiled: c } = await diff().run(sql, params);
      if (typeof c === "string") {
        refused.push(`${c}: ${sql}`);
        continue;
      }
      compiled++;
      const columns = approx.map((name) => (reference.schema ?? duck.schema ?? []).findIndex((field) => field.name === name));
      if (!agree(reference, duck, c.ordered, columns)) {
        mismatches.push(`${sql}\n  reference: ${reference.error ?? JSON.stringify(reference.rows)}\n  duckdb: ${duck.error ?? JSON.stringify(duck.rows)}\n  sql: ${c.sql}`);
      }
    }
    return { compiled, refused, mismatches };
  }

  const runs: [string, number, Kind[]][] = [
    ["INT64 and FLOAT64", 101, ["INT64", "FLOAT64"]],
    ["STRING and BOOL", 202, ["STRING", "BOOL"]],
    ["DATE and TIMESTAMP", 303, ["DATE", "TIMESTAMP"]],
    ["NUMERIC and ARRAY", 404, ["NUMERIC", "ARRAY"]],
  ];
  let total = 0;
  let compiledTotal = 0;
  const refusedAll: string[] = [];
  for (const [title, seed, kinds] of runs) {
    it(`${title}: 300 generated queries agree`, async () => {
      const { compiled, refused, mismatches } = await corpus(seed, kinds, 300);
      total += 300;
      compiledTotal += compiled;
      refusedAll.push(...refused);
      expect(mismatches).toEqual([]);
      // The generator draws from what the compiler handles: nearly all must compile.
      expect({ refused: refused.slice(0, 5), compiled: compiled >= 285 }).toEqual({ refused: refused.slice(0, 5), compiled: true });
    });
  }

  it("the corpus has at least 1,000 queries run both ways", () => {
    expect(total).toBe(1200);
    expect(compiledTotal).toBeGreaterThanOrEqual(1000);
    const reasons = new Map<string, number>();
    for (const r of refusedAll) reasons.set(r.split(":").slice(0, 2).join(":"), (reasons.get(r.split(":").slice(0, 2).join(":")) ?? 0) + 1);
    console.info(`generated corpus: ${total} queries, ${compiledTotal} compiled and agreed; refused: ${JSON.stringify([...reasons])}`);
  });
});
