/**
 * Test helpers for the Dataform warehouse: run the real Dataform CLI on this project (or on a
 * temporary copy that a test may edit), pointed at a local BigQuery by BIGQUERY_EMULATOR_HOST.
 * Credentials go to a temporary file passed with --credentials, so nothing is left in the project.
 */
import { spawn } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

export const PROJECT_ROOT = resolve(__dirname, "..", "..");
export const DATAFORM_BIN = join(PROJECT_ROOT, "node_modules", ".bin", "dataform");
export const GCP_PROJECT = "local-project";
export const DATASET = "ecommerce_orders";
export const ASSERTION_DATASET = "ecommerce_orders_assertions";

export interface DataformResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  /** The Dataform project directory (default: this project). */
  cwd?: string;
  /** The local BigQuery URL (BIGQUERY_EMULATOR_HOST); needed by run and test. */
  url?: string;
  timeoutMs?: number;
}

/** A .df-credentials.json for the local BigQuery in a fresh temporary directory, outside the project. */
function writeCredentials(): { file: string; remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), "df-creds-"));
  const file = join(dir, "credentials.json");
  writeFileSync(file, JSON.stringify({ projectId: GCP_PROJECT, location: "US" }));
  return { file, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Runs `dataform <command> [project-dir] ...args`; never throws on a non-zero exit. */
export function runDataform(command: string, args: string[] = [], opts: RunOptions = {}): Promise<DataformResult> {
  const cwd = opts.cwd ?? PROJECT_ROOT;
  const needsWarehouse = command === "run" || command === "test";
  const creds = needsWarehouse ? writeCredentials() : undefined;
  const argv = [command, cwd, ...(creds ? ["--credentials", creds.file] : []), ...args];
  const env: NodeJS.ProcessEnv = { ...process.env, METADATA_SERVER_DETECTION: "none", NO_COLOR: "1", FORCE_COLOR: "0" };
  delete env.GOOGLE_APPLICATION_CREDENTIALS;
  // Jest's own flags (e.g. --experimental-vm-modules) are not the CLI's.
  delete env.NODE_OPTIONS;
  if (opts.url) {
    env.BIGQUERY_EMULATOR_HOST = opts.url;
  } else {
    delete env.BIGQUERY_EMULATOR_HOST;
  }
  return new Promise((done, fail) => {
    const child = spawn(DATAFORM_BIN, argv, { cwd, env, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => child.kill("SIGKILL"), opts.timeoutMs ?? 180_000);
    const finish = () => {
      clearTimeout(timer);
      creds?.remove();
    };
    child.on("error", (error) => {
      finish();
      fail(error);
    });
    child.on("close", (code) => {
      finish();
      done({ code, stdout, stderr });
    });
  });
}

/** The compiled graph of `dataform compile --json` (fields the tests read). */
export interface Target {
  database?: string;
  schema?: string;
  name: string;
}
export interface ColumnDescriptor {
  path: string[];
  description?: string;
}
export interface CompiledAction {
  target: Target;
  type?: string;
  fileName?: string;
  query?: string;
  queries?: string[];
  hasOutput?: boolean;
  dependencyTargets?: Target[];
  parentAction?: Target;
  actionDescriptor?: { description?: string; columns?: ColumnDescriptor[] };
}
export interface CompiledTest {
  name: string;
  testQuery: string;
  expectedOutputQuery: string;
  fileName?: string;
}
export interface CompiledGraph {
  tables?: CompiledAction[];
  operations?: CompiledAction[];
  assertions?: CompiledAction[];
  tests?: CompiledTest[];
  projectConfig: Record<string, string>;
  graphErrors?: { compilationErrors?: { fileName?: string; message?: string }[] };
}

/** `dataform compile --json` on a project directory; throws with Dataform's output if it fails. */
export async function compileProject(cwd = PROJECT_ROOT): Promise<CompiledGraph> {
  const result = await runDataform("compile", ["--json"], { cwd });
  if (result.code !== 0) {
    throw new Error(`dataform compile failed (${result.code}):\n${result.stdout}\n${result.stderr}`);
  }
  return JSON.parse(result.stdout) as CompiledGraph;
}

/**
 * A temporary copy of the Dataform project (settings, definitions, includes, package.json and
 * @dataform/core, which the CLI loads from the project's node_modules) that a test may edit.
 */
export function copyProject(): { dir: string; remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), "warehouse-"));
  for (const entry of ["workflow_settings.yaml", "package.json", "definitions", "includes"]) {
    cpSync(join(PROJECT_ROOT, entry), join(dir, entry), { recursive: true });
  }
  mkdirSync(join(dir, "node_modules", "@dataform"), { recursive: true });
  cpSync(join(PROJECT_ROOT, "node_modules", "@dataform", "core"), join(dir, "node_modules", "@dataform", "core"), {
    recursive: true,
  });
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** The backquoted BigQuery name of a warehouse table or view. */
export function tableName(name: string, dataset = DATASET): string {
  return `\`${GCP_PROJECT}.${dataset}.${name}\``;
}
