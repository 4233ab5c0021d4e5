/**
 * `npm run pipeline:local`: the plan it derives from cloudbuild.yaml, and one real run of the
 * steps after the checks (Dataform compile, credentials, unit tests, run; the function built
 * and called) against a local BigQuery.
 */
import { spawnSync } from "node:child_process";
import { join, resolve } from "node:path";

import { loadCloudBuild } from "../../scripts/pipeline/cloudbuild_config";
import { CHECK_STEPS } from "../../scripts/pipeline/local_steps";
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
    expect(deploy).toContain("--set-env-vars=BIGQUERY_PROJECT=local-project,BIGQUERY_DATASET=orders_dev,BIGQUERY_LOCATION=EU");
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
