/** Chunking of insertAll requests and the bounded parallelism that sends them. */
import { chunkRows, forEachLimited } from "../../function/ingest";

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
