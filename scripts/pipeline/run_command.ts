/** Runs one command with inherited output and turns a non-zero exit into an error. */
import { spawn, type ChildProcess } from "node:child_process";

const running = new Set<ChildProcess>();

/** Remembers a child until it exits, so an interrupted pipeline can stop it (see stopChildren). */
export const track = (child: ChildProcess): ChildProcess => {
  running.add(child);
  child.once("exit", () => running.delete(child));
  return child;
};

/**
 * Passes a signal on to every command still running, with everything it started (each runs
 * in its own process group: `npx dataform` is npx plus the CLI), so no step outlives the
 * pipeline; each then fails its step.
 */
export const stopChildren = (signal: NodeJS.Signals): void => {
  for (const child of running) {
    try {
      if (child.pid !== undefined) process.kill(-child.pid, signal);
    } catch {
      child.kill(signal); // the group is already gone
    }
  }
};

/** A command that ran and failed; `exitCode` is what the pipeline exits with. */
export class CommandFailed extends Error {
  override name = "CommandFailed";
  constructor(
    message: string,
    readonly exitCode: number,
  ) {
    super(message);
  }
}

export interface RunOptions {
  cwd: string;
  env: NodeJS.ProcessEnv;
}

/** Shell-like rendering for logs only; nothing is ever run through a shell. */
export const renderCommand = (command: string, args: readonly string[]): string =>
  [command, ...args].map((a) => (/^[\w@%+=:,./-]+$/.test(a) ? a : `'${a.replace(/'/g, `'\\''`)}'`)).join(" ");

export const runCommand = (command: string, args: readonly string[], options: RunOptions): Promise<void> =>
  new Promise((resolve, reject) => {
    const child = track(spawn(command, args, { cwd: options.cwd, env: options.env, stdio: "inherit", detached: true }));
    child.once("error", (err) => reject(new CommandFailed(`${command} could not start: ${err.message}`, 127)));
    child.once("exit", (code, signal) => {
      if (code === 0) resolve();
      else if (signal) reject(new CommandFailed(`${command} was killed by ${signal}`, 1));
      else reject(new CommandFailed(`${command} exited with code ${code}`, code ?? 1));
    });
  });
