import type { Request } from "autocannon";

declare function setupRequest(request: Request): Request;
declare namespace setupRequest {
  const ROWS_PER_BATCH: number;
  function orderBody(prefix: string, batch: number): string;
}
export = setupRequest;
