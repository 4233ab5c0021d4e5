/**
 * A small HTTP client for the function's tests: real requests with fetch, and
 * every answer checked against function/openapi.yaml before a test sees it.
 */
import { apiViolations } from "./openapi_check";

export interface Answer {
  status: number;
  headers: Headers;
  body: unknown;
  text: string;
}

export interface CallOptions {
  json?: unknown;
  body?: string | Buffer;
  headers?: Record<string, string>;
}

const template = (path: string): string => (path.split("?")[0].startsWith("/orders/") ? "/orders/{order_id}" : path.split("?")[0]);

export class ApiClient {
  constructor(readonly baseUrl: string) {}

  /** Sends a request; fails the test when the answer contradicts the OpenAPI document. */
  async call(method: string, path: string, options: CallOptions = {}): Promise<Answer> {
    const headers: Record<string, string> = { ...options.headers };
    let body: string | Buffer | undefined = options.body;
    if (options.json !== undefined) {
      body = JSON.stringify(options.json);
      headers["content-type"] ??= "application/json";
    }
    const res = await fetch(this.baseUrl + path, { method, headers, body });
    const text = await res.text();
    let parsed: unknown = undefined;
    try {
      parsed = JSON.parse(text);
    } catch {
      // left undefined: the schema check reports a non-JSON answer
    }
    const documented = apiViolations(method, template(path), res.status, res.headers, parsed);
    if (documented.length) {
      throw new Error(`${method} ${path} -> ${res.status} does not match function/openapi.yaml:\n  ${documented.join("\n  ")}\n  body: ${text.slice(0, 500)}`);
    }
    return { status: res.status, headers: res.headers, body: parsed, text };
  }

  post(orders: unknown, headers?: Record<string, string>): Promise<Answer> {
    return this.call("POST", "/", { json: orders, headers });
  }

  get(path: string): Promise<Answer> {
    return this.call("GET", path);
  }
}
