/**
 * Group commit for streaming inserts: appends that arrive while a commit is being written (and
 * fsynced) wait for it, then all go in the next transaction together, so a burst of requests
 * shares one fsync. Each caller's promise settles only after its transaction is durable, with
 * its own outcome: an append that fails (a table deleted meanwhile) fails alone, the others are
 * still stored.
 */
import type { Append, InsertOutcome, Store } from "./store";

interface Waiting extends Append {
  resolve(outcome: InsertOutcome): void;
  reject(error: unknown): void;
}

export class GroupCommit {
  private waiting: Waiting[] = [];
  private committing: Promise<void> | undefined;

  constructor(private readonly store: Store) {}

  /** Stores the rows (Store.appendRows semantics) together with the other appends of this moment. */
  append(append: Append): Promise<InsertOutcome> {
    return new Promise((resolve, reject) => {
      this.waiting.push({ ...append, resolve, reject });
      // setImmediate runs after the poll phase, so every request read in this turn joins the group.
      if (!this.committing && this.waiting.length === 1) setImmediate(() => void this.commitNext());
    });
  }

  private async commitNext(): Promise<void> {
    if (this.committing || this.waiting.length === 0) return;
    const group = this.waiting;
    this.waiting = [];
    this.committing = this.commit(group);
    await this.committing;
    this.committing = undefined;
    // What arrived meanwhile goes in the next group.
    await this.commitNext();
  }

  private async commit(group: Waiting[]): Promise<void> {
    let outcomes: (InsertOutcome | Error)[];
    try {
      outcomes = await this.store.appendGroup(group);
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
