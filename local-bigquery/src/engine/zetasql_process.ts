/**
 * Runs the ZetaSQL server binary on a free loopback port and keeps it running:
 * when it dies it is started again, and whoever waits for it gets the new one.
 */
import { spawn, type ChildProcess } from "node:child_process";
import net from "node:net";
import { BigQueryError } from "../errors";
import { killWithThisProcess } from "./watchdog";
import { serverBinary } from "./zetasql_binary";

export interface RunningServer {
  port: number;
  /** Increments on every start, so a caller can tell whether the server it used has died. */
  generation: number;
  /** Resolves when this server process has exited. */
  exited: Promise<void>;
  hasExited(): boolean;
  process: ChildProcess;
}

const START_TIMEOUT_MS = 30_000;

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

export class ZetaSqlProcess {
  private current: Promise<RunningServer> | undefined;
  private generation = 0;
  /** The generation of the server that finished starting and is in use. */
  private activeGeneration = 0;
  private stopped = false;
  /** Lines the server printed, kept for error messages when it will not start. */
  private lastOutput = "";

  constructor(private readonly log: (message: string) => void = () => undefined) {}

  /** The running server, starting one if none runs. */
  server(): Promise<RunningServer> {
    if (this.stopped) return Promise.reject(new BigQueryError("backendError", "The local SQL engine has been stopped"));
    if (!this.current) {
      this.current = this.startWithRetries();
      this.current.catch(() => {
        this.current = undefined;
      });
    }
    return this.current;
  }

  /**
   * Stops routing calls to this server (a runaway statement keeps it busy); the next call
   * starts a fresh one. The caller kills the old one once its calls are done.
   */
  retire(server: RunningServer): void {
    if (this.activeGeneration !== server.generation) return;
    this.activeGeneration = 0;
    this.current = undefined;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    const current = this.current;
    this.current = undefined;
    if (!current) return;
    const server = await current.catch(() => undefined);
    if (server && !server.hasExited()) {
      server.process.kill("SIGKILL");
      await server.exited;
    }
  }

  private async startWithRetries(): Promise<RunningServer> {
    let lastError: unknown;
    for (let attempt = 0; attempt < 3; attempt++) {
      try {
        return await this.startOnce();
      } catch (error) {
        lastError = error;
      }
    }
    throw new BigQueryError(
      "backendError",
      `The local SQL engine (ZetaSQL, ${serverBinary()}) did not start: ${(lastError as Error).message} ${this.lastOutput}`.trim(),
    );
  }

  private async startOnce(): Promise<RunningServer> {
    const port = await freePort();
    const child = spawn(serverBinary(), ["127.0.0.1", String(port)], { stdio: ["ignore", "pipe", "pipe"] });
    killWithThisProcess(child);
    const generation = ++this.generation;
    let exited = false;
    const exitedPromise = new Promise<void>((resolve) => child.once("exit", () => resolve()));
    const server: RunningServer = { port, generation, exited: exitedPromise, hasExited: () => exited, process: child };
    child.once("error", () => undefined); // reported through "exit"/the start timeout
    exitedPromise.then(() => {
      exited = true;
      this.log(`ZetaSQL server (port ${port}) exited`);
      if (!this.stopped && this.activeGeneration === generation) {
        // Restart now, so the next call finds a server ready; callers holding the dead one see it has exited.
        this.current = undefined;
        this.server().catch((error: Error) => this.log(`ZetaSQL restart failed: ${error.message}`));
      }
    });
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        child.kill("SIGKILL");
        reject(new Error(`no "listening" line within ${START_TIMEOUT_MS} ms`));
      }, START_TIMEOUT_MS);
      const onData = (data: Buffer): void => {
        this.lastOutput = (this.lastOutput + data.toString()).slice(-2000);
        if (this.lastOutput.includes("listening")) {
          clearTimeout(timer);
          resolve();
        }
      };
      child.stdout?.on("data", onData);
      child.stderr?.on("data", onData);
      exitedPromise.then(() => {
        clearTimeout(timer);
        reject(new Error(`exited during start-up`));
      });
    });
    this.lastOutput = "";
    this.activeGeneration = generation;
    return server;
  }
}
