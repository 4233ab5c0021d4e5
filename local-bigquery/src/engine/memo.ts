/**
 * A bounded memo of promises by key, least recently used first out. Parsing and analysis are
 * pure functions of their request, so a repeated statement (the same parameterised query with
 * new values, a view read again) skips the round trips to ZetaSQL. Failures are not kept.
 */
export class Memo<T> {
  private readonly entries = new Map<string, Promise<T>>();

  constructor(private readonly capacity: number) {}

  get(key: string, compute: () => Promise<T>): Promise<T> {
    const hit = this.entries.get(key);
    if (hit) {
      this.entries.delete(key);
      this.entries.set(key, hit);
      return hit;
    }
    const value = compute();
    this.entries.set(key, value);
    value.catch(() => {
      if (this.entries.get(key) === value) this.entries.delete(key);
    });
    if (this.entries.size > this.capacity) this.entries.delete(this.entries.keys().next().value as string);
    return value;
  }
}
