/** The wire encodings on their own: parameters, scalars, timestamps. */
import { BigQueryError } from "../src/errors";
import { decodeParameters } from "../src/encoding/params";
import { normalizeScalar } from "../src/encoding/scalars";
import { microsToFloatSeconds, parseTimestampText } from "../src/encoding/timestamp";
import type { FieldType } from "../src/model";

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
    ["JSON", { b: 1, a: [true, null] }, '{"b":1,"a":[true,null]}'],
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
});
