/**
 * Group commit for streaming inserts: appends that arrive together (in one turn of the
 * event loop, typically while the previous commit was being fsynced) are stored in one
 * transaction, so they share one fsync. Each caller's promise settles only after that
 * transaction is durable, with its own outcome: an append that fails (a table deleted
 * meanwhile) fails alone, the others are still stored.
 */
import type { TableRef, Row } from "../model";
import type { InsertOutcome, Store } from "./store";

export interface Append {
  ref: TableRef;
  rows: Row[];
  insertIds?: (string | undefined)[];
}

interface Waiting extends Append {
  resolve(outcome: InsertOutcome): void;
  reject(error: unknown): void;
}

export class GroupCommit {
  private waiting: Waiting[] = [];

  constructor(private readonly store: Store) {}

  /** Stores the rows (Store.appendRows semantics) together with the other appends of this turn. */
  append(append: Append): Promise<InsertOutcome> {
    return new Promise((resolve, reject) => {
      // setImmediate runs after the poll phase, so every request read in this turn joins the group.
      if (this.waiting.length === 0) setImmediate(() => this.commit());
      this.waiting.push({ ...append, resolve, reject });
    });
  }

  private commit(): void {
    const group = this.waiting;
    this.waiting = [];
    let outcomes: (InsertOutcome | Error)[];
    try {
      outcomes = this.store.appendGroup(group);
    } catch (error) {
      // The commit itself failed (disk full, I/O error): nothing of the group is stored.
      for (const w of group) w.reject(error);
      return;
    }
    group.forEach((w, i) => {
      const outcome = outcomes[i];
      if (outcome instanceof Error) w.reject(outcome);
      else w.resolve(outcome);
    });
  }
}
