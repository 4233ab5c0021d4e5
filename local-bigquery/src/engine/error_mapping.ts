/** ZetaSQL's gRPC errors as BigQuery errors: the message and position as BigQuery words them. */
import { status, type ServiceError } from "@grpc/grpc-js";
import { BigQueryError, invalidQuery, unsupported } from "../errors";

const capital = (s: string): string => s[0].toUpperCase() + s.slice(1);
const ENGINE = "the local BigQuery engine (ZetaSQL's reference implementation)";

/** "msg [at 3:7]" (ZetaSQL) -> "msg at [3:7]" (BigQuery). */
export function bigQueryMessage(details: string): string {
  return details.replace(/\s*\[at (\d+:\d+)\]/g, " at [$1]").trim();
}

/** Resolved-AST fields the reference evaluator reports as "not accessed", in the words of the SQL that sets them. */
const UNACCESSED: Record<string, string> = {
  grouping_set_list: "GROUP BY ROLLUP, CUBE or GROUPING SETS",
  rollup_column_list: "GROUP BY ROLLUP",
  grouping_call_list: "the GROUPING function",
};

/**
 * One or two sentences: ZetaSQL appends a dump of the resolved tree (10-35 KB) to some messages
 * ("Unimplemented feature (X::y not accessed and has non-default value)\nQueryStmt\n+-..."); keep
 * the first line, named in SQL terms where known, and at most 400 characters.
 */
export function conciseMessage(details: string): string {
  let first = details.split("\n")[0].trim();
  const unaccessed = /^Unimplemented feature \((\w+)::(\w+) not accessed and has non-default value\)/.exec(first);
  if (unaccessed) first = `${UNACCESSED[unaccessed[2]] ?? `the construct behind ${unaccessed[1]}::${unaccessed[2]}`} (the evaluator does not read ${unaccessed[2]})`;
  return first.length > 400 ? `${first.slice(0, 400)}...` : first;
}

export function mapGrpcError(error: ServiceError, deadlineMs: number): BigQueryError {
  const details = conciseMessage(bigQueryMessage(error.details || error.message));
  switch (error.code) {
    case status.INVALID_ARGUMENT:
    case status.OUT_OF_RANGE:
    case status.FAILED_PRECONDITION:
    case status.NOT_FOUND:
    case status.ALREADY_EXISTS:
      if (/^Function not found:/.test(details)) {
        return invalidQuery(`${details} (${ENGINE} may lack this BigQuery function)`);
      }
      // BigQuery's RANGE_SESSIONIZE is not among this ZetaSQL's built-in table functions.
      if (/^Table-valued function not found: RANGE_SESSIONIZE\b/i.test(details)) {
        return unsupported(`${capital(ENGINE)} does not implement this: ${details} (BigQuery's RANGE_SESSIONIZE is not among its table functions)`);
      }
      if (/Unsupported built-in function|optional function implementation which is not present/i.test(details)) {
        return unsupported(`${capital(ENGINE)} does not implement this: ${details}`);
      }
      return invalidQuery(details);
    case status.UNIMPLEMENTED:
      return unsupported(`${capital(ENGINE)} does not implement this: ${details}`);
    case status.DEADLINE_EXCEEDED:
      return new BigQueryError("timeout", `The statement did not finish within ${deadlineMs} ms`);
    case status.RESOURCE_EXHAUSTED:
      return new BigQueryError("resourcesExceeded", `The local SQL engine ran out of resources: ${details}`);
    case status.UNAVAILABLE:
      return new BigQueryError("backendError", `The local SQL engine is unavailable: ${details}`);
    default:
      return new BigQueryError("internalError", `The local SQL engine failed: ${details}`);
  }
}
