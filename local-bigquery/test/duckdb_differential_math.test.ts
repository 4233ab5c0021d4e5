/**
 * Math functions against ZetaSQL's reference evaluator: ZetaSQL raises where an IEEE result is
 * NaN or infinite from finite inputs, rounds half away from zero, propagates NULL and NaN through
 * GREATEST/LEAST; NUMERIC rounding, + and - with its overflow; SAFE_ arithmetic.
 */
import { differentialSuite } from "./support/differential";
import { seededRandom } from "./support/expression_generator";

describe("DuckDB compiler vs ZetaSQL: math functions", () => {
  const { same, bothFail, diff } = differentialSuite();

  it("ROUND, TRUNC, CEIL, FLOOR, SIGN, ABS of FLOAT64, INT64 and NUMERIC", async () => {
    await same("SELECT id, ROUND(x) r, TRUNC(x) a, CEIL(x) b, FLOOR(x) c, SIGN(x) d, ABS(x) e, IS_NAN(x) f, IS_INF(x) g, SIGN(a) h, SIGN(n) i, ABS(n) j FROM t");
    await same("SELECT ROUND(v) r, TRUNC(v) t, CEIL(v) c, FLOOR(v) f FROM UNNEST([2.5, -2.5, 0.5, -0.5, 1.5, 4503599627370497.0, -0.0, 0.49999999999999994]) v");
    await same("SELECT id, ROUND(n) a, ROUND(n, 1) b, ROUND(n, -1) c, TRUNC(n, 2) d, CEIL(n) e, FLOOR(n) f, TRUNC(n) g, ROUND(n, 9) h, TRUNC(n, -2) i FROM t WHERE id > 1");
    await same("SELECT ROUND(v, 2) r, ROUND(v) r0, TRUNC(v, 1) t FROM UNNEST([NUMERIC '2.675', NUMERIC '-2.675', NUMERIC '0.005', NUMERIC '-0.5']) v");
    await bothFail("SELECT ROUND(n) FROM t");
    await bothFail("SELECT CEIL(n) FROM t");
    expect(await diff().refusal("SELECT ROUND(x, 2) FROM t")).toBe("unsupported: ROUND of TYPE_DOUBLE with these arguments");
  });

  it("SQRT, LN, LOG10, LOG, EXP, POW: errors only for finite inputs with non-finite results", async () => {
    await same("SELECT id, SQRT(ABS(x)) a, LN(ABS(x) + 1) b, LOG10(ABS(x) + 1) c, LOG(ABS(x) + 2, 2) d, EXP(-ABS(x)) e, POW(ABS(x), 0.5) f, LOG10(1000) g FROM t");
    await same("SELECT id, SAFE.SQRT(x) a, SAFE.LN(x) b, SAFE.POW(x, 2) c, SAFE.EXP(x) d, SAFE.LOG(x, 2) e, SAFE.LOG10(x) f, SAFE.LOG(2, x) g, SAFE.LOG(x, x) h FROM t");
    await same("SELECT id, LN(x) l, LOG10(x) m FROM t WHERE id IN (1, 2, 3, 7, 8)");
    await same("SELECT LN(CAST('-inf' AS FLOAT64)) a, LOG10(CAST('-inf' AS FLOAT64)) b, LOG(CAST('-inf' AS FLOAT64), 0.5) c, LOG(2, CAST('inf' AS FLOAT64)) d, POW(CAST('-inf' AS FLOAT64), 0.5) e");
    for (const sql of ["SQRT(x) FROM t", "LN(x) FROM t WHERE id = 4", "LOG(x, 1) FROM t WHERE id = 5", "POW(x, 2) FROM t", "POW(-1, 0.5)", "POW(0, -1)", "EXP(x) FROM t", "LOG(8, 0)", "LOG(-8, 2)", "LOG(1, 1)"]) {
      await bothFail(`SELECT ${sql}`);
    }
  });

  it("GREATEST and LEAST: NULL if any argument is, NaN if any is", async () => {
    await same("SELECT id, GREATEST(a, id) g, LEAST(a, id, 3) l, GREATEST(x, 1.0) gx, LEAST(x, 0.0) lx, GREATEST(s, 'b') gs, LEAST(d, DATE '2025-01-02') ld, GREATEST(n, 0) gn FROM t");
  });

  it("IEEE_DIVIDE with signed zeros; SAFE_ADD/SUBTRACT/MULTIPLY/NEGATE; NUMERIC +, - and * with overflow", async () => {
    await same("SELECT id, IEEE_DIVIDE(x, 0) a, IEEE_DIVIDE(x, -0.0) b, IEEE_DIVIDE(-x, 0) c, IEEE_DIVIDE(x, x) d, IEEE_DIVIDE(1, x) e FROM t");
    await same("SELECT id, SAFE_ADD(a, 1) a1, SAFE_SUBTRACT(a, 1) a2, SAFE_MULTIPLY(a, 2) a3, SAFE_NEGATE(a) a4, SAFE_ADD(x, x) x1, SAFE_MULTIPLY(x, 10) x2, SAFE_ADD(n, n) n1, SAFE_SUBTRACT(n, 1) n2, SAFE_NEGATE(x) x3, SAFE_NEGATE(n) n3 FROM t");
    await same("SELECT id, n + n a, n - 1 b, -n c, n + a d FROM t WHERE id > 2 AND id < 8");
    await bothFail("SELECT n + n FROM t");
    // NUMERIC * NUMERIC exactly, rounded half away from zero, overflow an error.
    await same("SELECT id, n * n a, n * NUMERIC '2.5' b, n * NUMERIC '-0.000000001' c, n * CAST(a AS NUMERIC) d, n * NUMERIC '0.5' e FROM t WHERE id > 1 AND id <> 2");
    await bothFail("SELECT n * n FROM t");
    await bothFail("SELECT n * NUMERIC '10' FROM t WHERE id = 1");
    const random = seededRandom(17);
    const numeric = (): string => `NUMERIC '${random() < 0.5 ? "-" : ""}${Math.floor(random() * 10 ** Math.floor(random() * 15))}.${String(Math.floor(random() * 1e9)).padStart(9, "0")}'`;
    const pairs = Array.from({ length: 80 }, () => `STRUCT(${numeric()} AS v, ${numeric()} AS w)`);
    await same(`SELECT p.v, p.w, p.v * p.w AS m FROM UNNEST([${pairs.join(", ")}]) p`);
    await bothFail("SELECT -n - 1 FROM t WHERE id = 1 OR id = 2");
  });
});
