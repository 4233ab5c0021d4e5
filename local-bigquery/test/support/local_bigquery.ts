/** Starts a real local BigQuery on a free port with a fresh data directory, and a real client pointed at it. */
import { BigQuery } from "@google-cloud/bigquery";
import { startLocalBigQuery, type LocalBigQuery } from "../../src/index";

export const PROJECT = "local-project";

export interface Running {
  server: LocalBigQuery;
  bq: BigQuery;
}

export async function startForTest(dataDir?: string): Promise<Running> {
  const server = await startLocalBigQuery({ port: 0, quiet: true, dataDir });
  return { server, bq: clientFor(server.url) };
}

export const clientFor = (url: string): BigQuery => new BigQuery({ projectId: PROJECT, apiEndpoint: url });

/** A raw REST call, for what the client hides (status codes, error bodies, paths). */
export async function rest(
  url: string,
  method: string,
  path: string,
  body?: unknown,
): Promise<{ status: number; json: Record<string, unknown> | undefined }> {
  const res = await fetch(url + path, {
    method,
    headers: body === undefined ? {} : { "content-type": "application/json" },
    body: body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, json: text ? (JSON.parse(text) as Record<string, unknown>) : undefined };
}

/** The ApiError fields the client surfaces: HTTP code and the first error's reason and message. */
export async function failure(promise: Promise<unknown>): Promise<{ code?: number; reason?: string; message: string }> {
  try {
    await promise;
  } catch (e) {
    const err = e as { code?: number; errors?: { reason?: string; message?: string }[]; message: string };
    return { code: err.code, reason: err.errors?.[0]?.reason, message: err.errors?.[0]?.message ?? err.message };
  }
  throw new Error("expected the call to fail");
}
