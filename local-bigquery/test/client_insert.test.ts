/** insertAll, tabledata.list and the type round trip, through the real client. */
import type { Dataset, Table } from "@google-cloud/bigquery";
import { PROJECT, rest, startForTest, type Running } from "./support/local_bigquery";

interface InsertFailure {
  name: string;
  response: { insertErrors: { index: number; errors: { reason: string; location: string; message: string }[] }[] };
}

async function insertFailure(p: Promise<unknown>): Promise<InsertFailure> {
  try {
    await p;
  } catch (e) {
    return e as InsertFailure;
  }
  throw new Error("expected a partial failure");
}

const ALL_TYPES = [
  { name: "i", type: "INTEGER" },
  { name: "f", type: "FLOAT" },
  { name: "n", type: "NUMERIC" },
  { name: "bn", type: "BIGNUMERIC" },
  { name: "b", type: "BOOLEAN" },
  { name: "s", type: "STRING" },
  { name: "by", type: "BYTES" },
  { name: "d", type: "DATE" },
  { name: "dt", type: "DATETIME" },
  { name: "t", type: "TIME" },
  { name: "ts", type: "TIMESTAMP" },
  { name: "j", type: "JSON" },
  { name: "tags", type: "STRING", mode: "REPEATED" },
  {
    name: "rec",
    type: "RECORD",
    fields: [
      { name: "a", type: "INTEGER" },
      { name: "bs", type: "STRING", mode: "REPEATED" },
    ],
  },
  { name: "recs", type: "RECORD", mode: "REPEATED", fields: [{ name: "x", type: "FLOAT" }] },
];

describe("local BigQuery: insertAll, tabledata.list, types", () => {
  let t: Running;
  let ds: Dataset;
  beforeAll(async () => {
    t = await startForTest();
    [ds] = await t.bq.createDataset("ins");
  });
  afterAll(async () => {
    await t.server.stop();
  });

  const people = async (id: string): Promise<Table> =>
    (
      await ds.createTable(id, {
        schema: {
          fields: [
            { name: "id", type: "INTEGER", mode: "REQUIRED" },
            { name: "name", type: "STRING" },
          ],
        },
      })
    )[0];

  it("stores a row resent with the same insertId once", async () => {
    const table = await people("dedupe");
    const rows = [
      { insertId: "r1", json: { id: 1, name: "a" } },
      { insertId: "r2", json: { id: 2, name: "b" } },
    ];
    await table.insert(rows, { raw: true });
    await table.insert(rows, { raw: true });
    await table.insert([{ insertId: "r3", json: { id: 3 } }, rows[0]], { raw: true });
    const [stored] = await table.getRows();
    expect(stored.map((r) => r.id)).toEqual([1, 2, 3]);
  });

  it("rejects the whole request for one bad row, marking the others stopped", async () => {
    const table = await people("strict");
    const err = await insertFailure(
      table.insert([{ id: 1 }, { id: "abc" }, { name: "no id" }, { id: 4, nick: "x" }], { partialRetries: 0 }),
    );
    expect(err.name).toBe("PartialFailureError");
    const byIndex = new Map(err.response.insertErrors.map((e) => [e.index, e.errors[0]]));
    expect(byIndex.get(0)).toMatchObject({ reason: "stopped" });
    expect(byIndex.get(1)).toMatchObject({ reason: "invalid", location: "id" });
    expect(byIndex.get(1)?.message).toMatch(/Cannot convert value to integer.*abc/);
    expect(byIndex.get(2)).toMatchObject({ reason: "invalid", location: "id", message: "Missing required field: id." });
    expect(byIndex.get(3)).toMatchObject({ reason: "invalid", location: "nick", message: "no such field: nick." });
    expect((await table.getRows())[0]).toEqual([]);
  });

  it("stores the valid rows with skipInvalidRows and drops unknown fields with ignoreUnknownValues", async () => {
    const table = await people("lenient");
    const err = await insertFailure(table.insert([{ id: 1 }, { id: "abc" }, { id: 3 }], { skipInvalidRows: true, partialRetries: 0 }));
    expect(err.response.insertErrors.map((e) => e.index)).toEqual([1]);
    await table.insert([{ id: 4, name: "d", extra: true }], { ignoreUnknownValues: true });
    const [stored] = await table.getRows();
    expect(stored).toEqual([{ id: 1, name: null }, { id: 3, name: null }, { id: 4, name: "d" }]);
  });

  it("pages tabledata.list with maxResults, pageToken and startIndex", async () => {
    const table = await people("paged");
    await table.insert(Array.from({ length: 25 }, (_, i) => ({ id: i, name: `n${i}` })));
    const seen: number[] = [];
    let query: Record<string, unknown> | null = { maxResults: 10, autoPaginate: false };
    let pages = 0;
    while (query) {
      const [rows, next]: [{ id: number }[], Record<string, unknown> | null] = (await table.getRows(query)) as never;
      seen.push(...rows.map((r) => r.id));
      pages++;
      query = next;
    }
    expect(pages).toBe(3);
    expect(seen).toEqual(Array.from({ length: 25 }, (_, i) => i));
    const [fromIndex] = await table.getRows({ startIndex: "20", maxResults: 3, autoPaginate: false });
    expect(fromIndex.map((r) => r.id)).toEqual([20, 21, 22]);
    const raw = await rest(t.server.url, "GET", `/projects/${PROJECT}/datasets/ins/tables/paged/data?maxResults=5`);
    expect(raw.json).toMatchObject({ totalRows: "25" });
    expect(typeof raw.json?.pageToken).toBe("string");
  });

  it("round-trips every type, NULLs and edge values included", async () => {
    const [table] = await ds.createTable("types", { schema: { fields: ALL_TYPES } });
    const full = {
      i: "9223372036854775807",
      f: 1.5,
      n: "12345678901234567890123456789.123456789",
      bn: "-0.00000000000000000000000000000000000001",
      b: true,
      s: "héllo ✓ \"quoted\"",
      by: Buffer.from([0, 255, 1]).toString("base64"),
      d: "9999-12-31",
      dt: "2025-01-31 10:00:00.123456",
      t: "23:59:59.999999",
      ts: "2025-01-01T00:00:01.000001Z",
      j: { b: [1, 2], a: null },
      tags: ["a", "b"],
      rec: { a: -3, bs: ["x"] },
      recs: [{ x: 1.25 }, { x: null }],
    };
    const edges = {
      i: "-9223372036854775808",
      f: "NaN",
      n: "0.000000001",
      bn: "578960446186580977117854925043439539266.34992332820282019728792003956564819967",
      b: "false",
      s: "",
      by: "",
      d: "0001-01-01",
      dt: "0001-01-01T00:00:00",
      t: "00:00:00",
      ts: 1735689600.5,
      j: '"just a string"',
      tags: [],
      rec: { a: null, bs: [] },
      recs: [],
    };
    await table.insert([{ insertId: "full", json: full }, { insertId: "nulls", json: {} }, { insertId: "edges", json: edges }], {
      raw: true,
    });

    const [rows] = await table.getRows({ wrapIntegers: true });
    const [a, nulls, e] = rows;
    expect(a.i.value).toBe("9223372036854775807");
    expect(a.f).toBe(1.5);
    expect(a.n.toFixed()).toBe("12345678901234567890123456789.123456789");
    expect(a.bn.toFixed()).toBe("-0.00000000000000000000000000000000000001");
    expect(a.b).toBe(true);
    expect(a.s).toBe(full.s);
    expect(a.by).toEqual(Buffer.from([0, 255, 1]));
    expect(a.d.value).toBe("9999-12-31");
    expect(a.dt.value).toBe("2025-01-31T10:00:00.123456");
    expect(a.t.value).toBe("23:59:59.999999");
    expect(a.ts.value).toBe("2025-01-01T00:00:01.000001000Z");
    expect(a.j).toBe('{"a":null,"b":[1,2]}'); // BigQuery keeps a JSON object's keys in order
    expect(a.tags).toEqual(["a", "b"]);
    expect(a.rec.a.value).toBe("-3");
    expect(a.rec.bs).toEqual(["x"]);
    expect(a.recs).toEqual([{ x: 1.25 }, { x: null }]);

    expect(nulls).toEqual({
      i: null, f: null, n: null, bn: null, b: null, s: null, by: null, d: null, dt: null, t: null, ts: null, j: null,
      tags: [], rec: null, recs: [],
    });

    expect(e.i.value).toBe("-9223372036854775808");
    expect(e.f).toBeNaN();
    expect(e.n.toFixed()).toBe("0.000000001");
    expect(e.bn.toFixed()).toBe(edges.bn);
    expect(e.b).toBe(false);
    expect(e.s).toBe("");
    expect(e.by).toEqual(Buffer.alloc(0));
    expect(e.d.value).toBe("0001-01-01");
    expect(e.dt.value).toBe("0001-01-01T00:00:00");
    expect(e.t.value).toBe("00:00:00");
    expect(e.ts.value).toBe("2025-01-01T00:00:00.500Z");
    expect(e.j).toBe('"just a string"');
    expect(e.rec).toEqual({ a: null, bs: [] });

    // The wire: every scalar a string, REPEATED as [{v}], RECORD as {f:[...]}, TIMESTAMP as int64 micros.
    const raw = await rest(t.server.url, "GET", `/projects/${PROJECT}/datasets/ins/tables/types/data?formatOptions.useInt64Timestamp=true`);
    const first = (raw.json?.rows as { f: { v: unknown }[] }[])[0].f;
    expect(first[0].v).toBe("9223372036854775807");
    expect(first[4].v).toBe("true");
    expect(first[10].v).toBe("1735689601000001");
    expect(first[12].v).toEqual([{ v: "a" }, { v: "b" }]);
    expect(first[13].v).toEqual({ f: [{ v: "-3" }, { v: [{ v: "x" }] }] });
    // Without useInt64Timestamp, BigQuery's float seconds.
    const legacy = await rest(t.server.url, "GET", `/projects/${PROJECT}/datasets/ins/tables/types/data`);
    expect((legacy.json?.rows as { f: { v: unknown }[] }[])[0].f[10].v).toBe("1.735689601000001E9");
  });

  it("accepts BigQuery's timestamp spellings and rejects impossible values with the field named", async () => {
    const [table] = await ds.createTable("stamps", { schema: "ts:timestamp, d:date" });
    await table.insert([
      { ts: "2025-01-01 10:00:00 UTC" },
      { ts: "2025-01-01T12:00:00+02:00" },
      { ts: 1735725600 },
      { ts: new Date("2025-01-01T10:00:00.000Z") },
    ]);
    const [rows] = await table.getRows();
    expect(rows.map((r) => r.ts.value)).toEqual(Array(4).fill("2025-01-01T10:00:00.000Z"));
    const err = await insertFailure(table.insert([{ ts: "yesterday" }, { d: "2025-02-30" }], { partialRetries: 0, skipInvalidRows: true }));
    expect(err.response.insertErrors.map((x) => x.errors[0].location)).toEqual(["ts", "d"]);
  });
});
