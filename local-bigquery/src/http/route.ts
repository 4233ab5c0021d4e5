/** The route table's vocabulary: handlers take decoded request parts and return values; server.ts renders them. */
export type HttpMethod = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";

export interface RequestParts {
  params: Record<string, string>;
  query: Record<string, string | string[] | undefined>;
  body: unknown;
  /** Request headers, lower-cased names (If-Match). */
  headers?: Record<string, string | string[] | undefined>;
}

/** A handler's answer: a JSON body (200 unless status says otherwise); status 204 has no body. */
export interface Reply {
  status?: number;
  body?: unknown;
}

export interface Route {
  method: HttpMethod;
  /** Path below /projects/... (also served under /bigquery/v2). */
  url: string;
  handler: (req: RequestParts) => Reply | Promise<Reply>;
}

export const ok = (body: unknown): Reply => ({ body });
export const noContent = (): Reply => ({ status: 204 });
