/** The wire encodings on their own: parameters, scalars, timestamps. */
import { BigQueryError } from "../src/errors";
import { canonicalJson, isCanonicalJsonText } from "../src/encoding/canonical_json";
import { decodeInsertRows } from "../src/encoding/insert_rows";
import { decodeParameters } from "../src/encoding/params";
import { normalizeScalar } from "../src/encoding/scalars";
import { isoUtcToMicrosText, microsToFloatSeconds, parseTimestampText } from "../src/encoding/timestamp";
import type { Field, FieldType } from "../src/model";

describe("encoding", () => {
  it.each([
    ["2025-01-01T00:00:00Z", "1735689600000000"],
    ["2025-01-01 00:00:00 UTC", "1735689600000000"],
    ["2025-01-01T00:00:00.123456789Z", "1735689600123456"],
    ["2025-01-01T02:00:00+02:00", "1735689600000000"],
    ["2025-01-01", "1735689600000000"],
    ["1970-01-01T00:00:00.000001Z", "1"],
    ["0001-01-01 00:00:00", "-62135596800000000"],
  ])("parses the timestamp %s", (text, micros) => {
    expect(parseTimestampText(text)?.toString()).toBe(micros);
  });

  it.each(["2025-13-01", "2025-02-29", "yesterday", "10000-01-01"])("rejects the timestamp %s", (text) => {
    expect(parseTimestampText(text)).toBeUndefined();
  });

  it.each([
    ["1735689600000000", "1.7356896E9"],
    ["1735689600123456", "1.735689600123456E9"],
    ["0", "0.0"],
    ["12500000", "12.5"],
    ["-1000000", "-1.0"],
  ])("prints %s micros as BigQuery's float seconds %s", (micros, text) => {
    expect(microsToFloatSeconds(micros)).toBe(text);
  });

  it.each<[FieldType, unknown, string]>([
    ["INTEGER", 12, "12"],
    ["INTEGER", "+0012", "12"],
    ["FLOAT", "1e3", "1000"],
    ["FLOAT", "-inf", "-Infinity"],
    ["NUMERIC", "12.50", "12.5"],
    ["NUMERIC", 0.1, "0.1"],
    ["NUMERIC", "1.0000000005", "1.000000001"],
    ["NUMERIC", "-1e-9", "-0.000000001"],
    ["NUMERIC", "-0.0", "0"],
    ["BOOLEAN", "TRUE", "true"],
    ["DATETIME", "2025-01-31 10:00:00.5", "2025-01-31T10:00:00.500000"],
    ["TIME", "7:05", "07:05:00"],
    ["JSON", { b: 1, a: [true, null] }, '{"a":[true,null],"b":1}'],
    ["JSON", ' { "a" : 1 } ', '{"a":1}'],
    ["BYTES", "AP8=", "AP8="],
  ])("normalizes %s %j to %s", (type, input, out) => {
    expect(normalizeScalar(type, input)).toEqual({ ok: true, value: out });
  });

  it.each<[FieldType, unknown]>([
    ["INTEGER", 1.5],
    ["INTEGER", "9223372036854775808"],
    ["INTEGER", 2 ** 60],
    ["NUMERIC", "1e30"],
    ["BOOLEAN", "yes"],
    ["DATE", "2025-02-30"],
    ["TIME", "24:00:00"],
    ["JSON", "{bad"],
    ["STRING", { a: 1 }],
  ])("rejects %s %j", (type, input) => {
    expect(normalizeScalar(type, input).ok).toBe(false);
  });

  it("decodes named parameters with JSON-typed values, arrays, structs and nanosecond timestamps", () => {
    const params = decodeParameters(
      [
        { name: "a", parameterType: { type: "INT64" }, parameterValue: { value: 1 } },
        { name: "b", parameterType: { type: "BOOL" }, parameterValue: { value: true } },
        { name: "n", parameterType: { type: "STRING" }, parameterValue: { value: null } },
        { name: "ts", parameterType: { type: "TIMESTAMP" }, parameterValue: { value: "2025-01-01T00:00:00.123456000Z" } },
        {
          name: "arr",
          parameterType: { type: "ARRAY", arrayType: { type: "INT64" } },
          parameterValue: { arrayValues: [{ value: 1 }, { value: "2" }] },
        },
        {
          name: "st",
          parameterType: { type: "STRUCT", structTypes: [{ name: "x", type: { type: "INT64" } }, { name: "y", type: { type: "STRING" } }] },
          parameterValue: { structValues: { y: { value: "two" }, x: { value: 1 } } },
        },
      ],
      "named",
    );
    expect(params).toEqual([
      { name: "a", type: { type: "INT64" }, value: "1" },
      { name: "b", type: { type: "BOOL" }, value: "true" },
      { name: "n", type: { type: "STRING" }, value: null },
      { name: "ts", type: { type: "TIMESTAMP" }, value: "1735689600123456" },
      { name: "arr", type: { type: "ARRAY", arrayType: { type: "INT64" } }, value: ["1", "2"] },
      {
        name: "st",
        type: { type: "STRUCT", structTypes: [{ name: "x", type: { type: "INT64" } }, { name: "y", type: { type: "STRING" } }] },
        value: ["1", "two"],
      },
    ]);
  });

  it("decodes positional parameters and rejects bad values with the parameter named", () => {
    expect(decodeParameters([{ parameterType: { type: "STRING" }, parameterValue: { value: null } }], "positional")).toEqual([
      { type: { type: "STRING" }, value: null },
    ]);
    try {
      decodeParameters([{ name: "d", parameterType: { type: "DATE" }, parameterValue: { value: "soon" } }], "named");
      throw new Error("expected a failure");
    } catch (e) {
      expect(e).toBeInstanceOf(BigQueryError);
      expect((e as BigQueryError).message).toMatch(/query parameter d of type DATE/);
    }
  });

  // The fast path must agree with the general parser wherever it answers; it may decline anything.
  it.each([
    ["2025-08-08T10:00:00Z", "1754647200000000"],
    ["2025-08-08T10:00:00.1Z", "1754647200100000"],
    ["2025-08-08T10:06:01.234Z", "1754647561234000"],
    ["2025-08-08T10:05:00.123456Z", "1754647500123456"],
    ["2025-08-08T10:05:00.123456789012Z", "1754647500123456"],
    ["2024-02-29T23:59:59.999999Z", "1709251199999999"],
    ["1970-01-01T00:00:01.000001Z", "1000001"],
    ["9999-12-31T23:59:59.999999Z", "253402300799999999"],
  ])("takes the fast path for %s", (text, micros) => {
    expect(isoUtcToMicrosText(text)).toBe(micros);
    expect(parseTimestampText(text)?.toString()).toBe(micros);
  });

  it.each([
    "2025-08-08 10:00:00Z", // space
    "2025-08-08t10:00:00z", // lower case
    "2025-08-08T10:00:00.Z", // empty fraction
    "2025-08-08T10:00:00.1234567890123Z", // 13 digits
    "2025-08-08T10:00:00+00:00",
    " 2025-08-08T10:00:00Z",
    "1969-12-31T23:59:59Z", // before 1970
    "1970-01-01T00:00:00.000001Z", // whole seconds 0
    "2025-02-29T00:00:00Z",
    "2025-04-31T00:00:00Z",
    "2025-13-01T00:00:00Z",
    "2025-08-08T24:00:00Z",
    "2025-08-08T10:60:00Z",
    "2025-08-08T10:00:60Z",
    "2025-0a-08T10:00:00Z",
    "2025-08-08",
  ])("leaves %s to the general parser", (text) => {
    expect(isoUtcToMicrosText(text)).toBeUndefined();
  });

  it("agrees with the general timestamp parser over month ends, leap days and fractions", () => {
    let fast = 0;
    for (const year of [1970, 1971, 1999, 2000, 2023, 2024, 2100, 2400, 9999]) {
      for (let month = 1; month <= 12; month++) {
        for (const day of [1, 28, 29, 30, 31]) {
          for (const frac of ["", ".5", ".123", ".000001", ".999999", ".1234567", ".999999999999"]) {
            const text = `${year}-${String(month).padStart(2, "0")}-${String(day).padStart(2, "0")}T23:59:59${frac}Z`;
            const got = isoUtcToMicrosText(text);
            if (got !== undefined) fast++;
            if (got !== undefined || parseTimestampText(text) === undefined) expect(got).toBe(parseTimestampText(text)?.toString());
          }
        }
      }
    }
    expect(fast).toBeGreaterThan(2000);
  });

  it.each([
    '{"a":1,"b":"x","c":[true,false,null],"d":{}}',
    '{"e":1e+21,"n":-12.5,"order_details":"Laptop, Mouse ✓ \u{1F600}","order_id":"o-1","s":1.5e-7}',
    JSON.stringify(Object.fromEntries(Array.from({ length: 40 }, (_, i) => [`k${String(i).padStart(2, "0")}`, i]))),
    '"just a string"',
    "[]",
    "0",
    '{"__proto__":{"x":1}}',
  ])("keeps the canonical JSON text %s as sent", (text) => {
    expect(isCanonicalJsonText(text)).toBe(true);
    expect(canonicalJson(JSON.parse(text))).toBe(text);
  });

  it.each([
    '{"a": 1}', // whitespace
    '{"a":1} ',
    '{"a":"\\u0041"}', // an escape
    '{"a":"\ud800"}', // a lone surrogate, raw
    '{"a":1.0}',
    '{"a":-0}',
    '{"a":1e21}',
    '{"a":01}',
    '{"a":1,"a":2}', // a duplicate key
    '{"b":1,"a":2}', // keys out of order
    '{"b":1,"1":2}',
    '{"a":{"y":1,"x":2}}',
    '{"\u{1F600}":1,"\uFFFD":2}', // out of byte order, though in UTF-16 unit order
    '{"a":1,}',
    '{"a":tru}',
    "",
    "{",
    `${"[".repeat(65)}${"]".repeat(65)}`,
  ])("canonicalises %s the long way", (text) => {
    expect(isCanonicalJsonText(text)).toBe(false);
  });

  it("orders every object's keys by their bytes, as BigQuery stores JSON", () => {
    const value = JSON.parse('{"b":[{"z":1,"y":null}],"é":1,"1":true,"a":"x","\u{1F600}":0,"\uFFFD":0}') as unknown;
    expect(canonicalJson(value)).toBe('{"1":true,"a":"x","b":[{"y":null,"z":1}],"é":1,"\uFFFD":0,"\u{1F600}":0}');
  });

  it("answers canonical only for texts that round-trip unchanged", () => {
    let seed = 7;
    const rnd = (n: number): number => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed % n;
    };
    const atoms = ["a", "", "é", "\u{1F600}", 'q"', "\\", "\n", 0, 1, -1.5, 1e21, 1e-7, 2 ** 60, true, false, null];
    const value = (depth: number): unknown => {
      const r = rnd(10);
      if (depth > 3 || r < 4) return atoms[rnd(atoms.length)];
      if (r < 7) return Array.from({ length: rnd(4) }, () => value(depth + 1));
      return Object.fromEntries(Array.from({ length: rnd(4) }, () => [["a", "b", "1", "é", ""][rnd(5)], value(depth + 1)]));
    };
    const edits = [(t: string) => t, (t: string) => t.replace(",", ", "), (t: string) => t.replace("1", "1.0"), (t: string) => t.replace("}", ',"a":0}')];
    let canonical = 0;
    for (let i = 0; i < 3000; i++) {
      const text = edits[rnd(edits.length)](JSON.stringify(value(0)));
      if (isCanonicalJsonText(text)) {
        canonical++;
        expect(canonicalJson(JSON.parse(text))).toBe(text);
      }
    }
    expect(canonical).toBeGreaterThan(1000);
  });

  it("decodes insertAll rows the same on the fast and the general paths", () => {
    const fields: Field[] = [
      { name: "id", type: "STRING", mode: "REQUIRED" },
      { name: "at", type: "TIMESTAMP", mode: "NULLABLE" },
      { name: "doc", type: "JSON", mode: "NULLABLE" },
      { name: "tags", type: "STRING", mode: "REPEATED" },
    ];
    const rows = [
      { insertId: "a", json: { id: "x", at: "2025-01-01T00:00:00Z", doc: '{"k":1}' } },
      { insertId: 7, json: { ID: 5, AT: "2025-01-01 00:00:00 UTC", Doc: '{ "k" : 1 }', tags: ["t"] } },
      { insertId: "", json: { id: "y", at: 1735689600, doc: { k: 1 } } },
    ];
    expect(decodeInsertRows(rows, fields, {})).toEqual({
      rows: [
        ["x", "1735689600000000", '{"k":1}', []],
        ["5", "1735689600000000", '{"k":1}', ["t"]],
        ["y", "1735689600000000", '{"k":1}', []],
      ],
      insertIds: ["a", "7", undefined],
      insertErrors: [],
    });
    const bad = [{ json: { id: "x" } }, { json: { id: { no: 1 }, at: "soon", extra: 1 } }, { json: null }];
    expect(decodeInsertRows(bad, fields, {}).insertErrors).toEqual([
      { index: 0, errors: [{ reason: "stopped", location: "", debugInfo: "", message: "" }] },
      {
        index: 1,
        errors: [
          { reason: "invalid", location: "id", debugInfo: "", message: "This field: id is not a record; it takes a STRING value." },
          {
            reason: "invalid",
            location: "at",
            debugInfo: "",
            message:
              "Could not parse 'soon' as a timestamp. Required format is YYYY-MM-DD HH:MM[:SS[.SSSSSS]] or YYYY/MM/DD HH:MM[:SS[.SSSSSS]] (field at, type TIMESTAMP)",
          },
          { reason: "invalid", location: "extra", debugInfo: "", message: "no such field: extra." },
          { reason: "invalid", location: "id", debugInfo: "", message: "Missing required field: id." },
        ],
      },
      { index: 2, errors: [{ reason: "invalid", location: "", debugInfo: "", message: "Row is not a JSON object: every row needs a json object" }] },
    ]);
    const skipped = decodeInsertRows(bad, fields, { skipInvalidRows: true, ignoreUnknownValues: true });
    expect(skipped.rows).toEqual([["x", null, null, []]]);
    expect(skipped.insertErrors.map((e) => e.index)).toEqual([1, 2]);
  });
});
