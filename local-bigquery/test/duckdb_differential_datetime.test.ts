/**
 * DATE, DATETIME, TIMESTAMP and TIME functions, and CASTs to and from STRING, against ZetaSQL's
 * reference evaluator: ranges ([0001-01-01, 9999-12-31]), month-end clamping, week starts,
 * boundary-counting diffs, leap seconds in text, GoogleSQL's text formats.
 */
import { differentialSuite } from "./support/differential";

describe("DuckDB compiler vs ZetaSQL: dates, times and casts", () => {
  const { same, bothFail, diff } = differentialSuite();

  it("DATE_ADD/SUB, DATE_DIFF and DATE_TRUNC by every part; LAST_DAY; out-of-range results fail", async () => {
    await same("SELECT id, DATE_ADD(d, INTERVAL 1 DAY) a, DATE_SUB(d, INTERVAL 2 WEEK) b, DATE_ADD(d, INTERVAL 1 MONTH) c, DATE_ADD(d, INTERVAL -1 QUARTER) e, DATE_SUB(d, INTERVAL 1 YEAR) f FROM t WHERE id > 2");
    await same("SELECT DATE_ADD(DATE '2024-01-31', INTERVAL 1 MONTH) a, DATE_ADD(DATE '2024-02-29', INTERVAL 1 YEAR) b, DATE_SUB(DATE '2024-03-31', INTERVAL 1 MONTH) c");
    await same("SELECT id, DATE_DIFF(d, DATE '2024-12-31', DAY) a, DATE_DIFF(d, DATE '2024-12-29', WEEK) b, DATE_DIFF(d, DATE '2024-12-30', ISOWEEK) c, DATE_DIFF(d, DATE '2023-11-30', MONTH) e, DATE_DIFF(d, DATE '2023-11-30', QUARTER) f, DATE_DIFF(d, DATE '2023-01-01', YEAR) g, DATE_DIFF(d, DATE '2020-01-01', ISOYEAR) h, DATE_DIFF(d, DATE '2024-12-31', WEEK(WEDNESDAY)) i FROM t");
    await same("SELECT id, DATE_TRUNC(d, DAY) a, DATE_TRUNC(d, MONTH) c, DATE_TRUNC(d, QUARTER) e, DATE_TRUNC(d, YEAR) f, DATE_TRUNC(d, ISOYEAR) g, DATE_TRUNC(d, ISOWEEK) h FROM t");
    await same("SELECT id, DATE_TRUNC(d, WEEK) a, DATE_TRUNC(d, WEEK(FRIDAY)) b FROM t WHERE id > 1");
    await same("SELECT id, LAST_DAY(d) a, LAST_DAY(d, YEAR) b, LAST_DAY(d, QUARTER) c, LAST_DAY(d, ISOWEEK) e, LAST_DAY(d, WEEK) f FROM t WHERE id <> 2");
    for (const sql of ["DATE_ADD(d, INTERVAL 1 DAY)", "DATE_SUB(d, INTERVAL 1 DAY)", "DATE_ADD(d, INTERVAL 9223372036854775807 DAY)", "DATE_TRUNC(d, WEEK)", "LAST_DAY(d, WEEK)", "DATE_ADD(d, INTERVAL 1 MONTH)"]) {
      await bothFail(`SELECT ${sql} FROM t`);
    }
  });

  it("constants out of INTEGER range fail only where evaluated (DuckDB casts constants while binding)", async () => {
    await same("SELECT id, UNIX_DATE(COALESCE(d, DATE_FROM_UNIX_DATE(-9223372036854775807))) AS u FROM t WHERE d IS NOT NULL");
    await same("SELECT DATE_FROM_UNIX_DATE(-9223372036854775807) AS a, CHR(-9223372036854775807) AS b, DATE_ADD(DATE '2024-01-01', INTERVAL 9223372036854775807 MONTH) AS c, a FROM e");
    await same("SELECT id, IF(id > 100, DATE_ADD(d, INTERVAL -9223372036854775807 DAY), d) AS v, IF(id > 100, GENERATE_DATE_ARRAY(d, d, INTERVAL 9223372036854775807 DAY), []) AS g FROM t");
  });

  it("EXTRACT of every part, WEEK(<day>), DATE/TIME/DATETIME parts", async () => {
    await same("SELECT id, EXTRACT(WEEK FROM d) a, EXTRACT(WEEK(MONDAY) FROM d) b, EXTRACT(WEEK(SATURDAY) FROM ts) c, EXTRACT(DATE FROM ts) e, EXTRACT(TIME FROM ts) f, EXTRACT(DATETIME FROM ts) g FROM t");
    await same("SELECT id, EXTRACT(HOUR FROM ts AT TIME ZONE 'UTC') h, TIMESTAMP_TRUNC(ts, DAY, 'UTC') t, EXTRACT(DATE FROM ts AT TIME ZONE 'UTC') d, DATE(ts, 'UTC') e FROM t");
    expect(await diff().refusal("SELECT EXTRACT(HOUR FROM ts AT TIME ZONE 'America/New_York') FROM t")).toBe("unsupported: a time zone other than UTC");
    await same("SELECT id, EXTRACT(HOUR FROM tm) h, EXTRACT(MICROSECOND FROM tm) i, EXTRACT(DAYOFWEEK FROM dt) b, EXTRACT(WEEK FROM dt) c, EXTRACT(MILLISECOND FROM dt) m, EXTRACT(DATE FROM dt) e, EXTRACT(TIME FROM dt) f FROM w");
  });

  it("TIMESTAMP_ADD/SUB/TRUNC, UNIX_*, TIMESTAMP_SECONDS/MILLIS/MICROS, DATE_FROM_UNIX_DATE", async () => {
    await same("SELECT id, TIMESTAMP_ADD(ts, INTERVAL 1 HOUR) a, TIMESTAMP_SUB(ts, INTERVAL 1500 MILLISECOND) b, TIMESTAMP_ADD(ts, INTERVAL -2 DAY) c FROM t WHERE id > 2");
    await same("SELECT id, TIMESTAMP_TRUNC(ts, HOUR) a, TIMESTAMP_TRUNC(ts, DAY) b, TIMESTAMP_TRUNC(ts, MONTH) c, TIMESTAMP_TRUNC(ts, YEAR) e, TIMESTAMP_TRUNC(ts, MILLISECOND) f, TIMESTAMP_TRUNC(ts, SECOND) g, TIMESTAMP_TRUNC(ts, ISOWEEK) h FROM t WHERE id > 1");
    await same("SELECT id, UNIX_SECONDS(ts) a, UNIX_MILLIS(ts) b, UNIX_MICROS(ts) c, UNIX_DATE(d) e, DATE_FROM_UNIX_DATE(id * 1000) f, TIMESTAMP_SECONDS(id * 100000) g, TIMESTAMP_MILLIS(id) h, TIMESTAMP_MICROS(a) i FROM t WHERE id > 2");
    for (const sql of ["TIMESTAMP_ADD(ts, INTERVAL 1 MICROSECOND) FROM t", "TIMESTAMP_ADD(ts, INTERVAL 9223372036854775807 HOUR) FROM t", "TIMESTAMP_TRUNC(ts, WEEK) FROM t", "TIMESTAMP_SECONDS(a) FROM t", "DATE_FROM_UNIX_DATE(2932897)"]) {
      await bothFail(`SELECT ${sql}`);
    }
  });

  it("DATETIME_* and TIME_* (TIME wraps around midnight; diffs count boundaries)", async () => {
    await same("SELECT id, DATETIME_ADD(dt, INTERVAL 1 MONTH) a, DATETIME_SUB(dt, INTERVAL 90 MINUTE) b, DATETIME_DIFF(dt, DATETIME '2025-01-01 00:00:00', HOUR) c, DATETIME_DIFF(dt, DATETIME '2025-01-01 00:00:00', WEEK) e, DATETIME_TRUNC(dt, HOUR) f, DATETIME_TRUNC(dt, MONTH) g, LAST_DAY(dt) h FROM w WHERE id > 2");
    await same("SELECT DATETIME_DIFF(DATETIME '2024-01-02 00:00:00', DATETIME '2024-01-01 23:59:59', DAY) a, DATETIME_DIFF(DATETIME '2024-01-01 10:00:00', DATETIME '2024-01-01 09:59:59.999', HOUR) b, DATETIME_DIFF(DATETIME '2024-01-01 09:59:59', DATETIME '2024-01-01 10:00:00', MINUTE) c");
    await same("SELECT id, TIME_ADD(tm, INTERVAL 2 HOUR) a, TIME_SUB(tm, INTERVAL 90 MINUTE) b, TIME_DIFF(tm, TIME '12:00:00', MINUTE) c, TIME_TRUNC(tm, HOUR) e, TIME_ADD(tm, INTERVAL 9223372036854775807 MICROSECOND) f, TIME_ADD(tm, INTERVAL 9223372036854775807 HOUR) g FROM w");
    await bothFail("SELECT DATETIME_ADD(dt, INTERVAL 1 DAY) FROM w");
  });

  it("DATE, DATETIME, TIME and TIMESTAMP constructors; second 60 is the next minute", async () => {
    await same("SELECT id, DATE(2024, id, id) a, DATE(ts) b, DATETIME(2024, 1, id, id, 30, 59) c, DATETIME(d, TIME '10:00:00') e, DATETIME(ts) f, TIME(id, 5, 6) g, TIME(ts) h, TIMESTAMP(d) i FROM t WHERE id > 2");
    await same("SELECT DATETIME(2024, 1, 1, 23, 59, 60) a, TIME(23, 59, 60) b, TIME(12, 59, 60) c");
    for (const sql of ["DATE(2024, 2, 30)", "DATE(10000, 1, 1)", "TIME(24, 0, 0)", "DATETIME(2024, 1, 1, 24, 0, 0)", "DATETIME(2024, 1, 1, 23, 59, 61)", "DATETIME(9999, 12, 31, 23, 59, 60)"]) {
      await bothFail(`SELECT ${sql}`);
    }
  });

  it("FORMAT_DATE, FORMAT_DATETIME, FORMAT_TIMESTAMP, FORMAT_TIME: ZetaSQL's padding, week numbers, fractions, epoch seconds", async () => {
    await same("SELECT id, FORMAT_DATE('%Y|%F|%C|%y|%G|%g|%V|%U|%W|%u|%w|%j|%e|%D|%x|%a|%A|%b|%B|%h|%m|%d|%Q|%E4Y|%%|%n|%t', d) f FROM t");
    await same("SELECT id, FORMAT_TIMESTAMP('%Y-%m-%d %H:%M:%S|%T|%R|%I|%p|%l|%k|%Z|%z|%Ez|%E3S|%E6S|%Es|%s|%c|%X|%P|%%|%n|%t|%E*S|%Q|%E4Y', ts) f FROM t");
    await same("SELECT id, FORMAT_DATETIME('%c|%H:%M:%E3S|%E*S|%E1S', dt) f, FORMAT_TIME('%H:%M:%S %p|%E*S|%I %l', tm) g FROM w");
    await same("SELECT FORMAT_DATE('', DATE '2024-01-01') a, FORMAT_DATE('plain', DATE '2024-01-01') b, FORMAT_DATE('%Y', CAST(NULL AS DATE)) c, FORMAT_TIMESTAMP('%F %T', TIMESTAMP '2024-06-30 13:45:00.5', 'UTC') e");
    expect(await diff().refusal("SELECT FORMAT_DATE('%H', d) FROM t")).toBe("unsupported: format element %H");
    expect(await diff().refusal("SELECT FORMAT_TIMESTAMP('%F', ts, 'Europe/Paris') FROM t")).toBe("unsupported: a time zone other than UTC");
  });

  it("PARSE_DATE: numbers read greedily without backtracking, month names, surrounding whitespace", async () => {
    await same(
      "SELECT v, SAFE.PARSE_DATE('%Y-%m-%d', v) a, SAFE.PARSE_DATE('%Y%m%d', v) b, SAFE.PARSE_DATE('%m/%d/%Y', v) c, SAFE.PARSE_DATE('%d %b %Y', v) d FROM UNNEST(['2024-01-05', '2024-1-5', ' 2024-01-05', '2024-01-05 ', '20240105', '2024015', '01/05/2024', '1/5/2024', '5 Jan 2024', '05 january 2024', '0001-01-01', '10000-01-01', '99-1-1', '2024-02-30', '2024-01-05x', '+2024-01-05', '-2024-01-05', '2024 -01-05', '2024- 01-05', '', '202401051', '00240105', '202415', '2024115', '5  JAN   2024', '5 Janu 2024', '5Jan2024', '0000-01-01', '00000101', CAST(NULL AS STRING)]) v",
    );
    await same("SELECT id, PARSE_DATE('%Y-%m-%d', CAST(d AS STRING)) p, PARSE_DATE('%Y%m%d', FORMAT_DATE('%Y%m%d', d)) q FROM t WHERE id > 2");
    await bothFail("SELECT PARSE_DATE('%Y%m%d', '202415')");
    await bothFail("SELECT PARSE_DATE('%Y-%m-%d', s) FROM t");
    expect(await diff().refusal("SELECT PARSE_DATE('%F', s) FROM t")).toBe("unsupported: PARSE_DATE element %F");
  });

  it("CAST from STRING follows GoogleSQL's grammar (hex, whitespace, inf/nan, rounding, leap seconds)", async () => {
    await same(
      "SELECT v, SAFE_CAST(v AS INT64) i, SAFE_CAST(v AS FLOAT64) f, SAFE_CAST(v AS NUMERIC) n, SAFE_CAST(v AS BOOL) b FROM UNNEST([' 12 ', '+5', '-0x1F', '0x1f', '1e3', '1.0', '1.5', '', 'abc', '9223372036854775808', '-9223372036854775808', 'inf', '-INF', 'nan', 'NaN', 'infinity', '1e400', '.5', '5.', ' 1.25e-2 ', 'true', 'FALSE', ' true', 't', '1', '0.0000000005', '0.0000000015', '-0.0000000005', '99999999999999999999999999999.9999999995', '1_000', '0x', '١٢', '\\t7\\n', '0x8000000000000000', '-0x8000000000000000', '+inf', '-nan', '1e-400', '00012', '-0']) v",
    );
    await same(
      "SELECT v, SAFE_CAST(v AS DATE) d, SAFE_CAST(v AS DATETIME) dt, SAFE_CAST(v AS TIME) t FROM UNNEST(['2024-01-05', '2024-1-5', ' 2024-01-05 ', '2024-01-05T10:00:00', '2024-01-05 10:00:00', '2024-01-05 10:00:00.123456789', '10:00', '10:00:00', '1:2:3', '24:00:00', '2024-02-30', '0001-01-01', '10000-01-01', '99-01-01', '2024-01-05 10:00:00+02', '+2024-01-05', '2024/01/05', '23:59:60', '2024-01-05 24:00:00', '2024-01-05t10:00:00', '0000-01-01', '2024-01-05  10:00:00', '10:00:00.', '2024-01-05 1:2:3.5', '2024-01-05 23:59:60.5', '23:59:60.25', '12:00:60']) v",
    );
    for (const [v, type] of [["abc", "INT64"], ["1.5", "INT64"], ["x", "FLOAT64"], ["1e40", "NUMERIC"], ["t", "BOOL"], ["2024-02-30", "DATE"], ["24:00:00", "TIME"], ["9999-12-31 23:59:60", "DATETIME"]]) {
      await bothFail(`SELECT CAST(CONCAT(s, '${v}') AS ${type}) FROM t WHERE id = 3`);
    }
    await bothFail("SELECT CAST(s AS INT64) FROM t");
  });

  it("CAST to STRING in ZetaSQL's formats; NUMERIC to FLOAT64 rounded once; other proven casts", async () => {
    await same("SELECT v, CAST(v AS STRING) s FROM UNNEST([100.0, -0.0, 1e20, 1e21, 0.1, 1.5e-7, 123456789012345680, CAST('nan' AS FLOAT64), CAST('inf' AS FLOAT64), CAST('-inf' AS FLOAT64), 1e-5, 0.0001, 1e15, 1e16, 1e17, 12345678.9, 5e-324, 1.7976931348623157e308, 1/3, 2/3, 0.30000000000000004]) v");
    await same("SELECT id, CAST(x AS STRING) a, CAST(n AS STRING) b, CAST(ts AS STRING) c, CAST(n AS FLOAT64) e, CAST(IEEE_DIVIDE(-1, x) AS STRING) f FROM t");
    await same("SELECT id, CAST(dt AS STRING) a, CAST(tm AS STRING) b, CAST(dt AS DATE) c, CAST(dt AS TIME) e, CAST(dt AS TIMESTAMP) f, CAST(CAST(id AS STRING) AS BYTES) h, SAFE_CAST(bin AS STRING) i FROM w");
    await same("SELECT id, CAST(ts AS DATETIME) a, CAST(ts AS TIME) b, CAST(n AS INT64) c, SAFE_CAST(n AS INT64) d FROM t WHERE id > 1");
    await same("SELECT v, CAST(v AS FLOAT64) f FROM UNNEST([NUMERIC '-25276061361896904459.529294005', NUMERIC '120612308551888821532.402823628', NUMERIC '9007199254740993', NUMERIC '99999999999999999999999999999.999999999', NUMERIC '0.1']) v");
    await bothFail("SELECT CAST(bin AS STRING) FROM w");
    await bothFail("SELECT CAST(n AS INT64) FROM t");
  });
});
