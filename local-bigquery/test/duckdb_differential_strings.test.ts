/**
 * String and BYTES functions against ZetaSQL's reference evaluator: NULLs, errors (and their
 * SAFE. forms), Unicode, empty strings; regular expressions through RE2 in both engines.
 */
import { differentialSuite } from "./support/differential";
import { seededRandom } from "./support/expression_generator";

describe("DuckDB compiler vs ZetaSQL: string functions", () => {
  const { same, bothFail, diff } = differentialSuite();

  it("a STRING that reads as WKT comes back as written", async () => {
    // STRING cells were once read through the GEOGRAPHY reader, which rewrote 'point(1   2)' as 'POINT(1 2)'.
    await same("SELECT s, CONCAT(s, '') c FROM UNNEST(['point(1   2)', 'LINESTRING(0 0,1 1)', 'POINT EMPTY']) s");
  });

  it("TRIM, LTRIM, RTRIM with Unicode whitespace and with characters", async () => {
    await same(
      "SELECT id, TRIM(s) a, LTRIM(CONCAT(' ', s, ' ')) b, RTRIM(CONCAT('\\t', s, '\\u00a0 ')) c, TRIM(CONCAT('\\u3000\\n', s, '\\u2028')) d, TRIM(s, 'a') e, TRIM(s, '') f, LTRIM(s, 'éa') g, RTRIM(s, 'cb') h FROM t",
    );
  });

  it("LPAD, RPAD, REPEAT, LEFT, RIGHT: negative sizes, empty patterns and the 1MB cap fail", async () => {
    await same("SELECT id, LPAD(s, 5) a, RPAD(s, 2, 'xy') b, LPAD(s, id, 'é') c, RPAD(s, 0) d FROM t");
    await same("SELECT id, REPEAT(s, id) a, REPEAT(s, 0) b, REPEAT('', 9223372036854775807) c FROM t");
    await same("SELECT id, LEFT(s, 2) l, RIGHT(s, 2) r, LEFT(s, 9223372036854775807) l2, RIGHT(s, 0) r0 FROM t");
    await same("SELECT RIGHT(s, -1) AS r, LPAD(s, -1, '') AS p FROM t WHERE s IS NULL");
    for (const sql of ["LPAD(s, a)", "LPAD(s, 3, s)", "LPAD(s, 2000000)", "REPEAT(s, a)", "REPEAT(s, 1000000)", "LEFT(s, a)"]) {
      await bothFail(`SELECT ${sql} FROM t`);
    }
  });

  it("REVERSE by code point, INSTR, SPLIT, ASCII, UNICODE, CHR", async () => {
    await same("SELECT id, REVERSE(s) r, REVERSE(CONCAT('ae', CHR(769), 'b')) c, REVERSE('') e FROM t");
    await same("SELECT id, INSTR(s, 'b') i, INSTR(s, '') j, SPLIT(s) a, SPLIT(s, '') b, SPLIT(CONCAT(s, ',x,'), ',') c, SPLIT(s, 'bc') d FROM t");
    await same("SELECT id, ASCII(s) a, UNICODE(s) u, CHR(id + 64) c, CHR(0) z, CHR(id * 1000) w FROM t WHERE id <> 4");
    await bothFail("SELECT ASCII(s) FROM t");
    await bothFail("SELECT CHR(a) FROM t");
    await bothFail("SELECT CHR(55296 + id) FROM t");
  });

  it("BYTES: TO_HEX, FROM_HEX, digests as BYTES, CONCAT, LENGTH", async () => {
    await same("SELECT TO_HEX(bin) h, FROM_HEX(TO_HEX(bin)) b, FROM_HEX('abc') o, FROM_HEX('') e, MD5(bin) m, SHA1('a') s1, SHA256(bin) s2, MD5('') m2 FROM w");
    await same("SELECT CONCAT(bin, b'\\x01') c, LENGTH(bin) l, BYTE_LENGTH(bin) bl FROM w");
    await bothFail("SELECT FROM_HEX(s) FROM t");
  });

  it("REGEXP_CONTAINS, REGEXP_EXTRACT(_ALL), REGEXP_REPLACE; invalid patterns fail in both", async () => {
    await same("SELECT id, REGEXP_CONTAINS(s, 'b') a, REGEXP_CONTAINS(s, '^[a-c]+$') b, REGEXP_CONTAINS(s, r'\\p{L}') c, REGEXP_CONTAINS(CONCAT(s, '\\n', s), 'a.a') d FROM t");
    await same("SELECT id, REGEXP_EXTRACT(s, 'b') a, REGEXP_EXTRACT(s, '(b)c') b, REGEXP_EXTRACT(s, '(b?)x?c') c, REGEXP_EXTRACT(s, '') d, REGEXP_EXTRACT_ALL(s, '.') e, REGEXP_EXTRACT_ALL(s, '(.)x?') f FROM t");
    await same("SELECT id, REGEXP_REPLACE(s, 'b', 'X') a, REGEXP_REPLACE(s, '', '-') b, REGEXP_REPLACE(s, '(.)', r'<\\1\\\\>') c, REGEXP_REPLACE(s, '[aé]', '') d FROM t");
    await bothFail("SELECT REGEXP_CONTAINS(s, '(') FROM t");
    expect(await diff().refusal("SELECT REGEXP_EXTRACT(s, '(a)|b') FROM t")).toBe("unsupported: REGEXP_EXTRACT with a group that may not take part");
    expect(await diff().refusal("SELECT REGEXP_REPLACE(s, 'a', r'\\1') FROM t")).toBe("unsupported: a REGEXP_REPLACE rewrite naming a missing group");
  });

  it("FORMAT of %d %i %s %e %g with flags, widths and precisions; %f and the forms DuckDB prints otherwise are refused", async () => {
    await same("SELECT id, FORMAT('%d|%5d|%-5d|%05d|%i|%+d|% d', a, a, a, a, a, a, a) d, FORMAT('%s|%10s|%-4s|', s, s, s) s, FORMAT('%e|%g|%.3g|%E|%G|%.16e|%.16g|%+.1e|%12.4g', x, x, x, x, x, x, x, x, x) f FROM t");
    await same("SELECT FORMAT('%%|%s', 'a') b, FORMAT('%d', CAST(NULL AS INT64)) c, FORMAT('plain') p");
    const random = seededRandom(5);
    const values = Array.from({ length: 120 }, () => String((random() - 0.5) * 10 ** Math.floor(random() * 600 - 300)));
    await same(`SELECT v, FORMAT('%.16e|%g|%.10g|%.3E', v, v, v, v) f FROM UNNEST([${values.join(", ")}, 0.1, 2.675, 5e-324, 9007199254740993]) v`);
    expect(await diff().refusal("SELECT FORMAT('%.2f', x) FROM t")).toBe("unsupported: FORMAT specifier %f");
    expect(await diff().refusal("SELECT FORMAT('%.17e', x) FROM t")).toBe("unsupported: FORMAT of FLOAT64 beyond 17 significant digits");
    expect(await diff().refusal("SELECT FORMAT('%010e', x) FROM t")).toBe("unsupported: FORMAT of FLOAT64 with the 0 flag");
  });

  it("SAFE. turns the function's own errors into NULL, not its arguments'", async () => {
    await same("SELECT id, SAFE.LEFT(s, 2) a, SAFE.LPAD(s, a) b, SAFE.REPEAT(s, a) c, SAFE.CHR(a) d, SAFE.ASCII(s) e, SAFE.FROM_HEX(s) f FROM t");
    expect(await diff().refusal("SELECT SAFE.LEFT(s, a + 1) FROM t")).toBe("unsupported: SAFE.left with an argument that may fail");
  });
});
