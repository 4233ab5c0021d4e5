/**
 * The `orders` handler with its own configuration and a logger whose lines the
 * test can read, served by functions-framework on a free loopback port (the same
 * Express app as createServer). Needs the environment a running stack has set.
 */
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { Writable } from "node:stream";
import { http } from "@google-cloud/functions-framework";
import { getTestServer } from "@google-cloud/functions-framework/testing";
import { createOrdersHandler } from "../../function/app";
import { loadConfig } from "../../function/config";
import { createLogger } from "../../function/logger";
import { ApiClient } from "./api_client";

export type LogLine = Record<string, unknown>;

export interface LoggedFunction {
  api: ApiClient;
  /** Every line logged so far, parsed. */
  lines: LogLine[];
  /** The line of the last request. */
  last(): LogLine;
  close(): Promise<void>;
}

let registered = 0;

/** @param env - settings on top of process.env (e.g. MAX_BYTES_BILLED) */
export const serveLogged = async (env: Record<string, string> = {}): Promise<LoggedFunction> => {
  const lines: LogLine[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString().split("\n").filter(Boolean)) lines.push(JSON.parse(line) as LogLine);
      done();
    },
  });
  const name = `orders-logged-${++registered}`;
  http(name, createOrdersHandler(loadConfig({ ...process.env, ...env }), createLogger("info", stream)));
  const server: Server = getTestServer(name);
  await new Promise<void>((ready) => server.listen(0, "127.0.0.1", ready));
  return {
    api: new ApiClient(`http://127.0.0.1:${(server.address() as AddressInfo).port}`),
    lines,
    last: () => lines[lines.length - 1],
    close: () =>
      new Promise<void>((closed) => {
        server.close(() => closed());
        server.closeAllConnections();
      }),
  };
};
