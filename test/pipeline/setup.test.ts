/**
 * The one-time set-up scripts (setup/*.sh), run for real against stub `gcloud` and `bq`
 * executables placed first on PATH (support/cloud_cli_stub.cjs keeps what "exists" in a state
 * file), and in --dry-run mode. Checks: the commands and flags, idempotency (a second run
 * creates nothing), least privilege, and the defaults agreeing with cloudbuild.yaml.
 */
import { spawnSync } from "node:child_process";
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

import { loadCloudBuild } from "../../scripts/pipeline/cloudbuild_config";

const ROOT = resolve(__dirname, "../..");
const SETUP = join(ROOT, "setup");
const STUB = join(__dirname, "support", "cloud_cli_stub.cjs");
const PROJECT = "acme-orders-1";
const DEFAULTS = loadCloudBuild(join(ROOT, "cloudbuild.yaml")).substitutions;
const DEPLOYER = `serviceAccount:${DEFAULTS._DEPLOYER_SA}@${PROJECT}.iam.gserviceaccount.com`;
const RUNTIME = `serviceAccount:${DEFAULTS._RUNTIME_SA}@${PROJECT}.iam.gserviceaccount.com`;
const SCRIPTS = ["all.sh", "enable_apis.sh", "create_dataset.sh", "create_service_accounts.sh", "create_trigger.sh", "grant_invokers.sh"];
const REPO = ["--repo-owner=acme", "--repo-name=orders"];

interface Call {
  tool: string;
  argv: string[];
}
interface Result {
  status: number | null;
  stdout: string;
  stderr: string;
  calls: Call[];
}

/** Commands that change something; everything else the scripts call must be read-only. */
const MUTATING = [
  /^gcloud services enable /,
  /^gcloud iam service-accounts create /,
  / add-iam-policy-binding /,
  /^gcloud builds triggers create /,
  /^gcloud functions add-invoker-policy-binding /,
  /^bq .*\bmk\b/,
  /^bq .*\bquery\b/,
];
const line = (c: Call) => [c.tool, ...c.argv].join(" ");
const mutating = (calls: Call[]) => calls.map(line).filter((l) => MUTATING.some((re) => re.test(l)));

let dir: string;
let env: NodeJS.ProcessEnv;

const freshStubs = () => {
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = mkdtempSync(join(tmpdir(), "setup-test-"));
  for (const tool of ["gcloud", "bq"]) {
    writeFileSync(join(dir, tool), `#!/bin/sh\nexec node ${JSON.stringify(STUB)} ${tool} "$@"\n`);
    chmodSync(join(dir, tool), 0o755);
  }
  env = {
    ...process.env,
    PATH: `${dir}:${process.env.PATH}`,
    CLOUD_STUB_STATE: join(dir, "state.json"),
    CLOUD_STUB_LOG: join(dir, "calls.jsonl"),
    SETUP_RETRY_SECONDS: "0",
  };
};
beforeEach(freshStubs);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const calls = (): Call[] =>
  existsSync(env.CLOUD_STUB_LOG as string)
    ? readFileSync(env.CLOUD_STUB_LOG as string, "utf8")
        .split("\n")
        .filter((l) => l !== "")
        .map((l) => JSON.parse(l) as Call)
    : [];

const setup = (script: string, args: string[]): Result => {
  rmSync(env.CLOUD_STUB_LOG as string, { force: true });
  const r = spawnSync("bash", [join(SETUP, script), ...args], { env, encoding: "utf8" });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr, calls: calls() };
};

const seed = (state: object) => writeFileSync(env.CLOUD_STUB_STATE as string, JSON.stringify(state));

describe("options", () => {
  test.each(SCRIPTS)("%s without --project exits 2 with a clear message and calls nothing", (script) => {
    const r = setup(script, ["--dry-run"]);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain("--project is required");
    expect(r.calls).toEqual([]);
  });

  test.each(SCRIPTS)("%s --help explains itself and calls nothing", (script) => {
    const r = setup(script, ["--help"]);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^Usage: /);
    expect(r.stdout).toContain("--dry-run");
    expect(r.calls).toEqual([]);
  });

  test.each([
    [["--project=" + PROJECT, "--colour=blue"], "unknown option: --colour"],
    [["--project=Not_A_Project"], "is not a Google Cloud project id"],
    [["--project=" + PROJECT, "--dataset=bad-name"], "is not a BigQuery dataset id"],
    [["--project=" + PROJECT, "--member=someone@example.com"], "must be user:EMAIL"],
    [["--project"], "--project needs a value"],
  ])("rejects %j with exit 2", (args, message) => {
    const r = setup("all.sh", args);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(message);
    expect(r.calls).toEqual([]);
  });

  test("the trigger needs its repository and the invokers at least one member", () => {
    expect(setup("create_trigger.sh", [`--project=${PROJECT}`]).stderr).toContain("--repo-owner and --repo-name are required");
    expect(setup("grant_invokers.sh", [`--project=${PROJECT}`]).stderr).toContain("at least one --member is required");
  });
});

describe("a first run on an empty project", () => {
  // One first run (each stub call starts node, so runs are not cheap); tests that run again
  // start from its end state.
  let first: Result;
  let changes: string[];
  let afterFirst: string;
  beforeAll(() => {
    freshStubs();
    first = setup("all.sh", [`--project=${PROJECT}`, ...REPO]);
    changes = mutating(first.calls);
    afterFirst = readFileSync(env.CLOUD_STUB_STATE as string, "utf8");
  });
  beforeEach(() => writeFileSync(env.CLOUD_STUB_STATE as string, afterFirst));

  test("succeeds and scopes every call to the project", () => {
    expect(first.stderr).toBe("");
    expect(first.status).toBe(0);
    for (const c of first.calls) {
      expect(c.argv.some((a) => a === `--project=${PROJECT}` || a === `--project_id=${PROJECT}` || a === PROJECT)).toBe(true);
    }
  });

  test("enables the APIs the pipeline and the function use", () => {
    const enable = changes.find((l) => l.startsWith("gcloud services enable "));
    for (const api of ["cloudbuild", "cloudfunctions", "run", "artifactregistry", "bigquery", "iam", "logging"]) {
      expect(enable).toContain(` ${api}.googleapis.com `);
    }
  });

  test("creates the dataset and the assertions dataset in the configured location", () => {
    expect(changes.filter((l) => / mk /.test(l))).toEqual([
      expect.stringMatching(new RegExp(`^bq --project_id=${PROJECT} --location=${DEFAULTS._LOCATION} mk --dataset .* ${PROJECT}:${DEFAULTS._DATASET}$`)),
      expect.stringMatching(new RegExp(`^bq .* mk --dataset .* ${PROJECT}:${DEFAULTS._DATASET}_assertions$`)),
    ]);
  });

  test("creates the two service accounts", () => {
    expect(changes.filter((l) => l.includes("service-accounts create"))).toEqual([
      expect.stringContaining(`create ${DEFAULTS._DEPLOYER_SA} --project=${PROJECT}`),
      expect.stringContaining(`create ${DEFAULTS._RUNTIME_SA} --project=${PROJECT}`),
    ]);
  });

  test("grants least privilege: the runtime account only runs jobs and edits its dataset", () => {
    const projectRoles = (member: string) =>
      first.calls
        .filter((c) => c.argv[0] === "projects" && c.argv[1] === "add-iam-policy-binding" && c.argv.includes(`--member=${member}`))
        .map((c) => c.argv.find((a) => a.startsWith("--role="))?.slice("--role=".length));
    expect(projectRoles(RUNTIME)).toEqual(["roles/bigquery.jobUser"]);
    expect(projectRoles(DEPLOYER).sort()).toEqual(
      ["roles/artifactregistry.writer", "roles/bigquery.jobUser", "roles/cloudfunctions.developer", "roles/logging.logWriter", "roles/run.admin", "roles/storage.objectAdmin"].sort(),
    );
    expect(changes.join("\n")).not.toMatch(/roles\/(editor|owner|bigquery\.admin|iam\.serviceAccountAdmin)\b/);

    const grants = changes.filter((l) => l.includes(" query "));
    expect(grants).toEqual([
      expect.stringContaining(`GRANT \`roles/bigquery.dataEditor\` ON SCHEMA \`${PROJECT}.${DEFAULTS._DATASET}\` TO "${RUNTIME}"`),
      expect.stringContaining(`GRANT \`roles/bigquery.dataEditor\` ON SCHEMA \`${PROJECT}.${DEFAULTS._DATASET}\` TO "${DEPLOYER}"`),
      expect.stringContaining(`GRANT \`roles/bigquery.dataEditor\` ON SCHEMA \`${PROJECT}.${DEFAULTS._DATASET}_assertions\` TO "${DEPLOYER}"`),
    ]);
  });

  test("lets the deployer act as the runtime account and as itself (it builds the function)", () => {
    const actAs = changes.filter((l) => l.startsWith("gcloud iam service-accounts add-iam-policy-binding"));
    const email = (m: string) => m.slice("serviceAccount:".length);
    expect(actAs).toEqual([
      `gcloud iam service-accounts add-iam-policy-binding ${email(RUNTIME)} --project=${PROJECT} --member=${DEPLOYER} --role=roles/iam.serviceAccountUser --quiet`,
      `gcloud iam service-accounts add-iam-policy-binding ${email(DEPLOYER)} --project=${PROJECT} --member=${DEPLOYER} --role=roles/iam.serviceAccountUser --quiet`,
    ]);
  });

  test("creates the push trigger on main, running cloudbuild.yaml as the deployer with the build's defaults", () => {
    const create = first.calls.find((c) => c.argv.slice(0, 4).join(" ") === "builds triggers create github");
    expect(create).toBeDefined();
    const argv = create?.argv ?? [];
    expect(argv).toEqual(
      expect.arrayContaining([
        "--repo-owner=acme",
        "--repo-name=orders",
        "--branch-pattern=^main$",
        "--build-config=cloudbuild.yaml",
        `--service-account=projects/${PROJECT}/serviceAccounts/${DEPLOYER.slice("serviceAccount:".length)}`,
      ]),
    );
    const substitutions = Object.fromEntries(
      (argv.find((a) => a.startsWith("--substitutions="))?.slice("--substitutions=".length) ?? "").split(",").map((kv) => kv.split("=")),
    );
    // Every value setup passes equals cloudbuild.yaml's default, and every name is declared there.
    expect(Object.keys(substitutions).length).toBeGreaterThanOrEqual(6);
    for (const [name, value] of Object.entries(substitutions)) expect(DEFAULTS[name]).toBe(value);
  });

  test("spells every flag the way its gcloud or bq command documents it", () => {
    // From the gcloud and bq reference pages of each command the scripts use.
    const FLAGS: Array<[RegExp, string[]]> = [
      [/^gcloud services list$/, ["--enabled", "--project", "--format"]],
      [/^gcloud services enable( \S+)+$/, ["--project"]],
      [/^gcloud iam service-accounts (describe|create) \S+$/, ["--project", "--display-name"]],
      [/^gcloud (projects|iam service-accounts) get-iam-policy \S+$/, ["--project", "--flatten", "--filter", "--format"]],
      [/^gcloud (projects|iam service-accounts) add-iam-policy-binding \S+$/, ["--project", "--member", "--role", "--condition", "--quiet"]],
      [/^gcloud builds triggers describe \S+$/, ["--project"]],
      [
        /^gcloud builds triggers create github$/,
        ["--project", "--name", "--description", "--repo-owner", "--repo-name", "--branch-pattern", "--build-config", "--service-account", "--include-logs-with-status", "--substitutions"],
      ],
      [/^bq (show|mk) \S+$/, ["--project_id", "--location", "--format", "--dataset", "--description"]],
      [/^bq query \S.*$/, ["--project_id", "--location", "--format", "--use_legacy_sql"]],
    ];
    for (const c of first.calls) {
      const words = c.argv.filter((a) => !a.startsWith("--"));
      const command = [c.tool, ...words].join(" ");
      const known = FLAGS.find(([re]) => re.test(command));
      expect({ command, known: known !== undefined }).toEqual({ command, known: true });
      for (const flag of c.argv.filter((a) => a.startsWith("--")).map((a) => a.split("=")[0])) {
        expect({ command, flag, allowed: known?.[1].includes(flag) }).toEqual({ command, flag, allowed: true });
      }
    }
  });

  test("a second run changes nothing", () => {
    const second = setup("all.sh", [`--project=${PROJECT}`, ...REPO]);
    expect(second.status).toBe(0);
    expect(second.calls.length).toBeGreaterThan(0);
    expect(mutating(second.calls)).toEqual([]);
    expect(second.stdout).toContain("ok: ");
  });

  test("a run after a partial set-up adds only what is missing", () => {
    const state = JSON.parse(readFileSync(env.CLOUD_STUB_STATE as string, "utf8"));
    state.services = state.services.filter((s: string) => s !== "run.googleapis.com");
    state.bindings = state.bindings.filter((b: string) => !b.includes("roles/run.admin"));
    seed(state);
    expect(mutating(setup("all.sh", [`--project=${PROJECT}`, ...REPO]).calls)).toEqual([
      `gcloud services enable run.googleapis.com --project=${PROJECT}`,
      `gcloud projects add-iam-policy-binding ${PROJECT} --member=${DEPLOYER} --role=roles/run.admin --condition=None --quiet`,
    ]);
  });
});

describe("--dry-run", () => {
  const args = [`--project=${PROJECT}`, ...REPO, "--member=user:analyst@example.com"];

  test("calls nothing and prints the commands a real first run performs, as runnable shell", () => {
    const dry = setup("all.sh", [...args, "--dry-run"]);
    expect(dry.status).toBe(0);
    expect(dry.calls).toEqual([]);
    const commands = dry.stdout.split("\n").filter((l) => l !== "" && !l.startsWith("#"));
    expect(commands.length).toBeGreaterThan(10);

    // Replaying the printed lines through a shell gives exactly the calls a real run makes.
    seed({ functions: [`${DEFAULTS._REGION}/${DEFAULTS._FUNCTION_NAME}`] });
    rmSync(env.CLOUD_STUB_LOG as string, { force: true });
    const replay = spawnSync("bash", ["-euo", "pipefail", "-c", commands.join("\n")], { env, encoding: "utf8" });
    expect(replay.stderr).toBe("");
    const replayed = calls().map(line);

    seed({ functions: [`${DEFAULTS._REGION}/${DEFAULTS._FUNCTION_NAME}`] });
    const real = setup("all.sh", args);
    expect(real.status).toBe(0);
    expect(replayed).toEqual(mutating(real.calls));
  });

  test("--dataset and --location reach every command that uses them", () => {
    const out = setup("all.sh", [`--project=${PROJECT}`, "--dataset=orders_dev", "--location=EU", "--dry-run", ...REPO]).stdout;
    expect(out).toContain(`--location=EU mk --dataset`);
    expect(out).toContain(`${PROJECT}:orders_dev_assertions`);
    expect(out).toContain("ON SCHEMA `" + PROJECT + ".orders_dev`");
    expect(out).toContain("_DATASET=orders_dev,");
    expect(out).toContain("_LOCATION=EU,");
    expect(out).not.toContain(DEFAULTS._DATASET);
  });
});

describe("invokers", () => {
  const member = "serviceAccount:checkout@shop-1.iam.gserviceaccount.com";

  test("before the first deploy: says so and grants nothing", () => {
    const r = setup("grant_invokers.sh", [`--project=${PROJECT}`, `--member=${member}`]);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain("is not deployed");
    expect(mutating(r.calls)).toEqual([]);
  });

  test("after it: grants run.invoker on the function once per member", () => {
    seed({ functions: [`${DEFAULTS._REGION}/${DEFAULTS._FUNCTION_NAME}`] });
    const args = [`--project=${PROJECT}`, `--member=${member}`, "--member=user:analyst@example.com"];
    expect(mutating(setup("grant_invokers.sh", args).calls)).toEqual([
      `gcloud functions add-invoker-policy-binding ${DEFAULTS._FUNCTION_NAME} --region=${DEFAULTS._REGION} --member=${member} --project=${PROJECT}`,
      `gcloud functions add-invoker-policy-binding ${DEFAULTS._FUNCTION_NAME} --region=${DEFAULTS._REGION} --member=user:analyst@example.com --project=${PROJECT}`,
    ]);
    expect(mutating(setup("grant_invokers.sh", args).calls)).toEqual([]);
  });
});
