/** The insertId window: what it remembers, for how long, and what it forgets first when full. */
import { InsertIdWindow, PendingClaims } from "../src/storage/insert_ids";

describe("InsertIdWindow", () => {
  let clock: number;
  const claim = (window: InsertIdWindow, tid: number, ids: string[]): void => {
    const pending = new PendingClaims();
    for (const id of ids) pending.add(tid, id);
    window.commit(pending.entries);
  };
  const remembered = (window: InsertIdWindow, tid: number, id: string): boolean => window.seenRecently(tid, id, new PendingClaims());

  beforeEach(() => {
    clock = 1_000;
  });

  test("remembers an id per table within the window and forgets it after", () => {
    const window = new InsertIdWindow(100, () => clock);
    claim(window, 1, ["a"]);
    expect(remembered(window, 1, "a")).toBe(true);
    expect(remembered(window, 2, "a")).toBe(false);
    clock += 101;
    expect(remembered(window, 1, "a")).toBe(false);
  });

  test("counts claims pending in the same transaction", () => {
    const window = new InsertIdWindow(100, () => clock);
    const pending = new PendingClaims();
    pending.add(1, "a");
    expect(window.seenRecently(1, "a", pending)).toBe(true);
    expect(window.seenRecently(2, "a", pending)).toBe(false);
  });

  test("when full, forgets the oldest claims of all tables, not those of the table being written", () => {
    const window = new InsertIdWindow(60_000, () => clock, 3);
    claim(window, 1, ["a1"]);
    clock += 1;
    claim(window, 1, ["a2", "a3"]);
    clock += 1;
    claim(window, 2, ["b1"]);
    expect(remembered(window, 1, "a1")).toBe(false);
    expect([remembered(window, 1, "a2"), remembered(window, 1, "a3"), remembered(window, 2, "b1")]).toEqual([true, true, true]);
    clock += 1;
    claim(window, 2, ["b2", "b3"]);
    expect([remembered(window, 1, "a2"), remembered(window, 1, "a3")]).toEqual([false, false]);
    expect([remembered(window, 2, "b1"), remembered(window, 2, "b2"), remembered(window, 2, "b3")]).toEqual([true, true, true]);
  });

  test("a claim made again moves to the newest end", () => {
    const window = new InsertIdWindow(60_000, () => clock, 2);
    claim(window, 1, ["a", "b"]);
    clock += 1;
    claim(window, 1, ["a"]);
    clock += 1;
    claim(window, 1, ["c"]);
    expect([remembered(window, 1, "a"), remembered(window, 1, "b"), remembered(window, 1, "c")]).toEqual([true, false, true]);
  });

  test("forgets a dropped table's claims and frees their room", () => {
    const window = new InsertIdWindow(60_000, () => clock, 2);
    claim(window, 1, ["a", "b"]);
    window.forgetTable(1);
    expect(remembered(window, 1, "a")).toBe(false);
    claim(window, 2, ["c", "d"]);
    expect([remembered(window, 2, "c"), remembered(window, 2, "d")]).toEqual([true, true]);
  });
});
