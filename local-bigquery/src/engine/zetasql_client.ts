/**
 * Calls the ZetaSQL local service over gRPC: every call has a deadline, calls
 * run concurrently, requests are serialised first so that one too large for the
 * server's 4 MiB receive limit fails at once, and a call that was running when
 * the server died fails with a clear error (the server is restarted for later calls).
 */
import * as grpc from "@grpc/grpc-js";
import * as protoLoader from "@grpc/proto-loader";
import { BigQueryError } from "../errors";
import { mapGrpcError } from "./error_mapping";
import { protoDir } from "./zetasql_binary";
import type { RunningServer, ZetaSqlProcess } from "./zetasql_process";

/** The server's gRPC receive limit (gRPC's default; the binary does not raise it). */
export const MAX_REQUEST_BYTES = 4 * 1024 * 1024;

const SERVICE = "zetasql.local_service.ZetaSqlLocalService";
const SERVER_WAIT_MS = 35_000;

interface MethodDefinition {
  path: string;
  requestSerialize(value: unknown): Buffer;
  responseDeserialize(bytes: Buffer): unknown;
}

let definitions: Record<string, MethodDefinition> | undefined;

function methods(): Record<string, MethodDefinition> {
  if (!definitions) {
    const packageDefinition = protoLoader.loadSync("local_service.proto", {
      includeDirs: [protoDir()],
      longs: String,
      enums: String,
      bytes: Buffer,
      defaults: false,
      oneofs: true,
    });
    definitions = packageDefinition[SERVICE] as unknown as Record<string, MethodDefinition>;
  }
  return definitions;
}

export class TooLargeRequestError extends Error {
  constructor(readonly bytes: number) {
    super(`request of ${bytes} bytes exceeds ${MAX_REQUEST_BYTES}`);
  }
}

export class ZetaSqlClient {
  private clients = new Map<number, grpc.Client>();
  /** Calls in flight per server generation, and servers to kill once theirs are done. */
  private inFlight = new Map<number, number>();
  private retired = new Set<number>();

  constructor(
    private readonly process: ZetaSqlProcess,
    private readonly defaultDeadlineMs: number,
  ) {}

  /**
   * Calls an RPC (by its proto name, e.g. "EvaluateQuery"). `appended`: fields already in wire
   * format, appended to the serialised request (protobuf merges them). Throws BigQueryError or TooLargeRequestError.
   */
  async call<T>(method: string, request: object, deadlineMs = this.defaultDeadlineMs, appended?: Buffer): Promise<T> {
    const definition = methods()[method];
    if (!definition) throw new Error(`Unknown ZetaSQL method ${method}`);
    const serialised = definition.requestSerialize(request);
    const payload = appended ? Buffer.concat([serialised, appended]) : serialised;
    if (payload.length > MAX_REQUEST_BYTES) throw new TooLargeRequestError(payload.length);
    // A (re)starting server is waited for on its own start-up timeout, not the call's deadline.
    const server = await withDeadline(this.process.server(), Math.max(deadlineMs, SERVER_WAIT_MS));
    const deadline = Date.now() + deadlineMs;
    const client = this.clientFor(server);
    this.inFlight.set(server.generation, (this.inFlight.get(server.generation) ?? 0) + 1);
    try {
      return await new Promise<T>((resolve, reject) => {
        client.makeUnaryRequest(
          definition.path,
          (b: Buffer) => b,
          (b: Buffer) => definition.responseDeserialize(b) as T,
          payload,
          new grpc.Metadata(),
          { deadline: new Date(deadline) },
          (error, response) => (error ? reject(error) : resolve(response as T)),
        );
      });
    } catch (error) {
      // A reset connection and the exit event race: give the exit a moment to land before judging.
      if (!server.hasExited()) await Promise.race([server.exited, delay(50)]);
      if (server.hasExited()) {
        this.dropClient(server);
        throw new BigQueryError(
          "backendError",
          "The local SQL engine (ZetaSQL) stopped while running this statement; it is being restarted. Retry the request.",
        );
      }
      if ((error as grpc.ServiceError).code === grpc.status.DEADLINE_EXCEEDED) {
        // ZetaSQL cannot cancel a running statement: move new calls to a fresh server and
        // kill this one when its other calls are done, so the runaway does not burn a core.
        this.retired.add(server.generation);
        this.process.retire(server);
      }
      throw mapGrpcError(error as grpc.ServiceError, deadlineMs);
    } finally {
      const left = (this.inFlight.get(server.generation) ?? 1) - 1;
      this.inFlight.set(server.generation, left);
      if (left === 0) {
        this.inFlight.delete(server.generation);
        if (this.retired.delete(server.generation) && !server.hasExited()) server.process.kill("SIGKILL");
      }
    }
  }

  close(): void {
    for (const client of this.clients.values()) client.close();
    this.clients.clear();
  }

  private clientFor(server: RunningServer): grpc.Client {
    let client = this.clients.get(server.generation);
    if (!client) {
      client = new grpc.Client(`127.0.0.1:${server.port}`, grpc.credentials.createInsecure(), {
        "grpc.max_receive_message_length": -1,
        "grpc.max_send_message_length": -1,
      });
      this.clients.set(server.generation, client);
      server.exited.then(() => this.dropClient(server));
    }
    return client;
  }

  private dropClient(server: RunningServer): void {
    this.clients.get(server.generation)?.close();
    this.clients.delete(server.generation);
  }
}

const delay = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

async function withDeadline<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new BigQueryError("timeout", `The local SQL engine was not ready within ${ms} ms`)),
      ms,
    );
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
