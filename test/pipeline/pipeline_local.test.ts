/**
 * `npm run pipeline:local`: the plan it derives from cloudbuild.yaml, one real run of the
 * steps after the checks (Dataform compile, credentials, unit tests, run; the function built
 * and called) against a local BigQuery, and the build's own `dataform run` command line
 * failing on a failing assertion.
 */
import { BigQuery } from "@google-cloud/bigquery";
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

import { startLocalBigQuery, type LocalBigQuery } from "../../local-bigquery/src/index";
import { loadCloudBuild } from "../../scripts/pipeline/cloudbuild_config";
import { CHECK_STEPS, LOCAL_STEPS, type LocalContext } from "../../scripts/pipeline/local_steps";
import { CommandFailed } from "../../scripts/pipeline/run_command";
import { planPipeline } from "../../scripts/pipeline_local";

const ROOT = resolve(__dirname, "../..");
const config = loadCloudBuild(join(ROOT, "cloudbuild.yaml"));

const plan = (argv: string[]) => {
  const p = planPipeline(argv, ROOT);
  if (p === "help") throw new Error("unexpected help");
  return p;
};

describe("the plan", () => {
  test("is cloudbuild.yaml's steps, in its order, with the local project substituted", () => {
    const p = plan([]);
    expect(p.steps.map((s) => s.step.id)).toEqual(config.steps.map((s) => s.id));
    expect(p.steps.every((s) => !s.skipped)).toBe(true);
    const run = p.steps.find((s) => s.step.id === "dataform-run")?.step;
    expect(run?.args).toContain("--default-database=local-project");
    expect(run?.args).toContain(`--default-schema=${config.substitutions._DATASET}`);
  });

  test("--skip-checks skips what .ci/run already ran, and nothing else", () => {
    const skipped = plan(["--skip-checks"]).steps.filter((s) => s.skipped).map((s) => s.step.id);
    expect(skipped).toEqual([...CHECK_STEPS]);
    expect(skipped).toEqual(["install", "lint", "typecheck", "test"]);
  });

  test("--skip and --substitutions change only what they name", () => {
    const p = plan(["--skip=test", "--substitutions=_DATASET=orders_dev,_LOCATION=EU"]);
    expect(p.steps.filter((s) => s.skipped).map((s) => s.step.id)).toEqual(["test"]);
    const deploy = p.steps.find((s) => s.step.id === "deploy")?.step.args ?? [];
    expect(deploy).toContain("--set-env-vars=NODE_ENV=production,BIGQUERY_PROJECT=local-project,BIGQUERY_DATASET=orders_dev,BIGQUERY_LOCATION=EU");
    expect(p.values._REGION).toBe(config.substitutions._REGION);
  });

  test.each([
    [["--skip=deploy,nope"], "--skip names unknown step(s) nope"],
    [["--substitutions=_NOT_DECLARED=x"], "_NOT_DECLARED not declared"],
    [["--substitutions=oops"], '"oops" is not KEY=VALUE'],
    [["--frobnicate"], "Unknown option '--frobnicate'"],
    [["positional"], "Unexpected argument 'positional'"],
  ])("%j is a usage error", (argv, message) => {
    expect(() => planPipeline(argv, ROOT)).toThrow(message);
  });

  test("exits 2 with the usage on a bad option, 0 with --help", () => {
    const bad = spawnSync("npx", ["tsx", "scripts/pipeline_local.ts", "--skip=nope"], { cwd: ROOT, encoding: "utf8" });
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain("Usage: npm run pipeline:local");
    const help = spawnSync("npx", ["tsx", "scripts/pipeline_local.ts", "--help"], { cwd: ROOT, encoding: "utf8" });
    expect(help.status).toBe(0);
    expect(help.stdout).toContain("--skip-checks");
  });
});

test("runs the pipeline after the checks against a local BigQuery, ending with POST and GET", () => {
  const r = spawnSync("npx", ["tsx", "scripts/pipeline_local.ts", "--skip-checks"], { cwd: ROOT, encoding: "utf8", timeout: 300_000 });
  const output = r.stdout + r.stderr;
  expect(output).toContain("pipeline:local passed");
  expect(r.status).toBe(0);
  for (const id of ["dataform-compile", "dataform-credentials", "dataform-test", "dataform-run", "deploy"]) {
    expect(output).toMatch(new RegExp(`passed +${id} `));
  }
  expect(output).toMatch(/POST \/ -> 200 /);
  expect(output).toMatch(/GET \/\?order_id=PIPELINE-LOCAL-\d+ -> 200 /);
}, 300_000);

describe("the dataform-run step of cloudbuild.yaml", () => {
  let bigquery: LocalBigQuery;
  let workDir: string;
  let ctx: LocalContext;
  const steps = () => {
    const p = plan([]);
    return (id: string) => {
      const found = p.steps.find((s) => s.step.id === id);
      if (!found) throw new Error(`no step ${id}`);
      return found.step;
    };
  };

  beforeAll(async () => {
    workDir = mkdtempSync(join(tmpdir(), "pipeline-step-"));
    bigquery = await startLocalBigQuery({ port: 0, dataDir: join(workDir, "bigquery"), quiet: true });
    ctx = {
      repoDir: ROOT,
      workDir,
      env: { ...process.env, METADATA_SERVER_DETECTION: "none" },
      bigquery: async () => bigquery.url,
      log: () => undefined,
    };
  });
  afterAll(async () => {
    await bigquery?.stop();
    rmSync(workDir, { recursive: true, force: true });
  });

  test("fails (so the build stops before the deploy) when an assertion fails, and keeps orders_raw's rows", async () => {
    const step = steps();
    await LOCAL_STEPS["dataform-credentials"].run(step("dataform-credentials"), ctx);
    await LOCAL_STEPS["dataform-run"].run(step("dataform-run"), ctx);

    // A version written around the function, with a status outside the canonical list.
    const client = new BigQuery({ projectId: "local-project", apiEndpoint: bigquery.url });
    const dataset = config.substitutions._DATASET;
    await client.query({
      query: `INSERT INTO \`local-project.${dataset}.orders_raw\` (event_id, order_id, order_date, order_status, ingested_at)
              VALUES ('e-lost-1', 'LOST-1', TIMESTAMP '2026-01-01 10:00:00+00', 'Lost', TIMESTAMP '2026-01-01 10:00:05+00')`,
    });

    const run = LOCAL_STEPS["dataform-run"].run(step("dataform-run"), ctx);
    await expect(run).rejects.toBeInstanceOf(CommandFailed);
    await expect(run).rejects.toMatchObject({ exitCode: expect.any(Number) });
    const [rows] = await client.query({ query: `SELECT order_id FROM \`local-project.${dataset}.orders_raw\`` });
    expect(rows).toEqual([{ order_id: "LOST-1" }]);
  }, 120_000);
});
