/** Chunking of insertAll requests, their rows' form, and the bounded parallelism that sends them. */
import { chunkRows, forEachLimited, InsertRow, type RawRow } from "../../function/ingest";

describe("InsertRow", () => {
  const row: RawRow = {
    event_id: "e1",
    order_id: "A1",
    order_date: "2025-08-08T10:00:00.000000Z",
    order_details: null,
    order_status: "Processing",
    updated_at: null,
    ingested_at: "2025-08-08T10:06:00.000Z",
    raw_payload: '{"order_id":"A1"}',
    request_id: "r1",
    caller: null,
  };

  test("serialises as an insertAll row keyed by its event id", () => {
    expect(JSON.parse(JSON.stringify({ rows: [new InsertRow(row)] }))).toEqual({ rows: [{ insertId: "e1", json: row }] });
  });

  test("has no enumerable property for the client's deep copy and token walk to visit", () => {
    const insertRow = new InsertRow(row);
    const visited: string[] = [];
    for (const key in insertRow) visited.push(key);
    expect(visited).toEqual([]);
    expect(Object.prototype.toString.call(insertRow)).toBe("[object Object]");
    expect(Object.getPrototypeOf(insertRow)).not.toBe(Object.prototype); // so extend() copies it by reference
  });
});

describe("chunkRows", () => {
  test("cuts by row count", () => {
    const chunks = chunkRows(Array.from({ length: 1201 }, (_, i) => ({ i })), 500);
    expect(chunks.map((c) => c.length)).toEqual([500, 500, 201]);
  });

  test("cuts by bytes before the row count is reached", () => {
    const row = { details: "x".repeat(1000) };
    const chunks = chunkRows(Array.from({ length: 100 }, () => row), 500, 10_000);
    expect(chunks.length).toBeGreaterThan(10);
    for (const chunk of chunks) expect(Buffer.byteLength(JSON.stringify(chunk))).toBeLessThanOrEqual(10_000);
    expect(chunks.flat()).toHaveLength(100);
  });

  test("gives a row larger than the byte limit a chunk of its own", () => {
    const chunks = chunkRows([{ a: "small" }, { a: "x".repeat(200) }, { a: "small" }], 500, 100);
    expect(chunks.map((c) => c.length)).toEqual([1, 1, 1]);
  });

  test("keeps the input order", () => {
    const rows = Array.from({ length: 1234 }, (_, i) => i);
    expect(chunkRows(rows, 100).flat()).toEqual(rows);
  });
});

describe("forEachLimited", () => {
  test("never runs more than the limit at once and runs every item", async () => {
    let running = 0;
    let peak = 0;
    const done: number[] = [];
    await forEachLimited([1, 2, 3, 4, 5, 6, 7], 3, async (n) => {
      running++;
      peak = Math.max(peak, running);
      await new Promise((r) => setTimeout(r, 5));
      done.push(n);
      running--;
    });
    expect(peak).toBe(3);
    expect(done.sort()).toEqual([1, 2, 3, 4, 5, 6, 7]);
  });

  test("rejects with the first failure after the running tasks settle", async () => {
    const settled: number[] = [];
    await expect(
      forEachLimited([1, 2, 3], 2, async (n) => {
        await new Promise((r) => setTimeout(r, n * 5));
        settled.push(n);
        if (n === 1) throw new Error("chunk 1 failed");
      }),
    ).rejects.toThrow("chunk 1 failed");
    expect(settled).toContain(2);
  });
});
