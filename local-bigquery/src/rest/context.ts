/** What every REST handler works with. */
import type { Executor } from "../execution/executor";
import type { JobRegistry } from "../jobs/job_registry";
import type { GroupCommit } from "../storage/group_commit";
import type { Store } from "../storage/store";

export interface ServiceContext {
  store: Store;
  /** tabledata.insertAll's writes, committed in groups. */
  inserts: GroupCommit;
  jobs: JobRegistry;
  /** Undefined until (or unless) the SQL engine runs. */
  executor: () => Executor | undefined;
  now: () => number;
}

/** BigQuery's default location, used when a request names none, and echoed back. */
export const DEFAULT_LOCATION = "US";
