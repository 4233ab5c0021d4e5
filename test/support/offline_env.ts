/**
 * Jest setup: keep every Google client offline. No credentials are visible, the
 * GCE metadata probe is off, and gcloud's ADC file is hidden, so the clients talk
 * to the local BigQuery only (see ../shared/reference/bigquery-rest-surface.md §1).
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

process.env.METADATA_SERVER_DETECTION = "none";
delete process.env.GOOGLE_APPLICATION_CREDENTIALS;
process.env.CLOUDSDK_CONFIG = mkdtempSync(join(tmpdir(), "no-gcloud-"));

// Every local BigQuery a test starts (in this process or a child) checks each answer DuckDB gives
// against ZetaSQL's reference evaluator: the differential oracle (local-bigquery/src/execution/query_runner.ts).
process.env.LOCAL_BIGQUERY_ORACLE = "1";
