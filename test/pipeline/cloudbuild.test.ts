/**
 * cloudbuild.yaml, read the way Cloud Build reads it: the steps and their order, the npm
 * scripts they name, the substitutions (every one used is declared, every one declared is
 * used, as Cloud Build's MUST_MATCH demands), the deploy flags, and the flags spelled the way
 * gcloud and the Dataform CLI expect.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

import {
  BUILT_IN_SUBSTITUTIONS,
  flagValue,
  loadCloudBuild,
  parseKeyValueList,
  resolveStep,
  substitute,
  substitutionsIn,
  substitutionsUsed,
  type BuildStep,
} from "../../scripts/pipeline/cloudbuild_config";
import { LOCAL_STEPS } from "../../scripts/pipeline/local_steps";

const ROOT = resolve(__dirname, "../..");
const CONFIG_PATH = join(ROOT, "cloudbuild.yaml");
const config = loadCloudBuild(CONFIG_PATH);
const pkg = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { main: string; scripts: Record<string, string> };
const ids = config.steps.map((s) => s.id);
const step = (id: string): BuildStep => {
  const found = config.steps.find((s) => s.id === id);
  if (!found) throw new Error(`no step ${id}`);
  return found;
};
/** The steps with the defaults and a sample project filled in, as a build would see them. */
const resolved = (id: string) => resolveStep(step(id), { ...config.substitutions, PROJECT_ID: "acme-orders-1" });
const deploy = () => resolved("deploy").args;

describe("steps", () => {
  test("run in the order the pipeline needs, each named by an id", () => {
    expect(ids).toEqual(["install", "lint", "typecheck", "test", "dataform-compile", "dataform-credentials", "dataform-test", "dataform-run", "deploy"]);
  });

  test("run one after the other: no step is started early, so any failure stops the build", () => {
    for (const s of config.steps) expect(s.waitFor).toBeUndefined();
  });

  test("dataform run comes after the tests and the Dataform unit tests, and before the deploy", () => {
    const at = (id: string) => ids.indexOf(id);
    expect(at("dataform-run")).toBeGreaterThan(at("test"));
    expect(at("dataform-run")).toBeGreaterThan(at("dataform-test"));
    expect(at("dataform-test")).toBeGreaterThan(at("dataform-credentials"));
    expect(at("dataform-credentials")).toBeGreaterThan(at("dataform-compile"));
    expect(at("deploy")).toBe(ids.length - 1);
  });

  test("Node steps use a Node 22 image, the deploy the Cloud SDK image", () => {
    for (const s of config.steps.filter((s) => s.id !== "deploy")) {
      expect(["npm", "npx", "node", "bash"]).toContain(s.entrypoint);
      expect(s.name).toMatch(/^node:22(?:[.-]|$)/);
    }
    expect(step("deploy").name).toMatch(/^gcr\.io\/google\.com\/cloudsdktool\/cloud-sdk(?::|$)/);
    expect(step("deploy").entrypoint).toBe("gcloud");
  });

  test("install, lint, typecheck and test are exactly npm ci and the project's npm scripts", () => {
    expect(step("install").args[0]).toBe("ci");
    expect(step("lint").args).toEqual(["run", "lint"]);
    expect(step("typecheck").args).toEqual(["run", "typecheck"]);
    // The test step installs Debian's chromium (the dashboard's browser test) before npm test.
    expect(step("test").args).toEqual(["-c", ".ci/install_chromium && npm test"]);
  });

  test("every npm script a step names exists in package.json", () => {
    const named = config.steps
      .filter((s) => s.entrypoint === "npm")
      .flatMap((s) => (s.args[0] === "run" ? [s.args[1]] : ["test", "start"].includes(s.args[0]) ? [s.args[0]] : []));
    expect(named.length).toBeGreaterThanOrEqual(2);
    for (const script of named) expect(Object.keys(pkg.scripts)).toContain(script);
  });

  test("every step has a local equivalent for npm run pipeline:local", () => {
    for (const id of ids) expect(Object.keys(LOCAL_STEPS)).toContain(id);
  });

  test("logs go to Cloud Logging only, as a user-managed build service account requires", () => {
    expect(config.options?.logging).toBe("CLOUD_LOGGING_ONLY");
  });
});

describe("substitutions", () => {
  test("every one used is declared with a default or built in", () => {
    const allowed = new Set<string>([...Object.keys(config.substitutions), ...BUILT_IN_SUBSTITUTIONS]);
    const used = [...substitutionsUsed(config)];
    expect(used.length).toBeGreaterThan(5);
    expect(used.filter((name) => !allowed.has(name))).toEqual([]);
  });

  test("every one declared is used (an unused one fails a MUST_MATCH build)", () => {
    const used = substitutionsUsed(config);
    expect(Object.keys(config.substitutions).filter((name) => !used.has(name))).toEqual([]);
  });

  test("the ones the issue asks for have defaults", () => {
    for (const name of ["_REGION", "_LOCATION", "_DATASET", "_FUNCTION_NAME", "_RUNTIME_SA", "_MAX_INSTANCES", "_CONCURRENCY"]) {
      expect(config.substitutions[name]).toMatch(/\S/);
    }
  });

  test("no project id is written in the file: the project comes from $PROJECT_ID", () => {
    const text = readFileSync(CONFIG_PATH, "utf8");
    expect(text).not.toMatch(/local-project|\.iam\.gserviceaccount\.com(?<!\$PROJECT_ID\.iam\.gserviceaccount\.com)/);
    expect(flagValue(step("dataform-run").args, "--default-database")).toBe("$PROJECT_ID");
  });

  test("resolving follows Cloud Build's syntax", () => {
    expect(substitutionsIn("a $$HOME ${_X}y $PROJECT_ID.z $_B")).toEqual(["_X", "PROJECT_ID", "_B"]);
    expect(substitute("$$x-${_X}_s-$PROJECT_ID", { _X: "1", PROJECT_ID: "p" })).toBe("$x-1_s-p");
    expect(() => substitute("${_MISSING}", {})).toThrow("_MISSING");
  });
});

describe("Dataform steps", () => {
  const dataformSteps = ["dataform-compile", "dataform-test", "dataform-run"];

  test("take project, dataset, assertion dataset and location from the substitutions", () => {
    for (const id of dataformSteps) {
      const args = resolved(id).args;
      expect(args.slice(0, 2)).toEqual(["dataform", id.replace("dataform-", "")]);
      expect(flagValue(args, "--default-database")).toBe("acme-orders-1");
      expect(flagValue(args, "--default-schema")).toBe(config.substitutions._DATASET);
      expect(flagValue(args, "--assertion-schema")).toBe(`${config.substitutions._DATASET}_assertions`);
      expect(flagValue(args, "--default-location")).toBe(config.substitutions._LOCATION);
      expect(args).not.toContain("--disable-assertions");
    }
  });

  test.each(dataformSteps)("%s uses only flags the Dataform CLI knows", (id) => {
    const [, command, ...flags] = step(id).args;
    const help = spawnSync(join(ROOT, "node_modules", ".bin", "dataform"), ["help", command], { encoding: "utf8" });
    expect(help.status).toBe(0);
    for (const flag of flags) expect(help.stdout).toContain(`${flag.split("=")[0]} `);
  });

  test("the credentials step writes the project and location, and no key, to .df-credentials.json", () => {
    const s = resolved("dataform-credentials");
    const dir = mkdtempSync(join(tmpdir(), "df-credentials-"));
    try {
      const run = spawnSync(s.entrypoint as string, s.args, { cwd: dir, encoding: "utf8" });
      expect(run.stderr).toBe("");
      expect(run.status).toBe(0);
      const written = JSON.parse(readFileSync(join(dir, ".df-credentials.json"), "utf8"));
      expect(written).toEqual({ projectId: "acme-orders-1", location: config.substitutions._LOCATION });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("deploy", () => {
  test("deploys a 2nd gen HTTP function, private, running as the runtime account", () => {
    const args = deploy();
    expect(args.slice(0, 3)).toEqual(["functions", "deploy", config.substitutions._FUNCTION_NAME]);
    expect(args).toEqual(expect.arrayContaining(["--gen2", "--runtime=nodejs22", "--trigger-http", "--no-allow-unauthenticated", "--source=."]));
    expect(args).not.toContain("--allow-unauthenticated");
    expect(flagValue(args, "--region")).toBe(config.substitutions._REGION);
    expect(flagValue(args, "--service-account")).toBe(`${config.substitutions._RUNTIME_SA}@acme-orders-1.iam.gserviceaccount.com`);
    expect(flagValue(args, "--build-service-account")).toBe(
      `projects/acme-orders-1/serviceAccounts/${config.substitutions._DEPLOYER_SA}@acme-orders-1.iam.gserviceaccount.com`,
    );
  });

  test("the entry point is the name the function registers", () => {
    const entryPoint = flagValue(deploy(), "--entry-point");
    expect(entryPoint).toBe("orders");
    const sources = readdirSync(join(ROOT, "function"))
      .filter((f) => f.endsWith(".ts"))
      .map((f) => readFileSync(join(ROOT, "function", f), "utf8"))
      .join("\n");
    expect(sources).toMatch(new RegExp(`\\bhttp\\(\\s*["']${entryPoint}["']`));
  });

  test("sets project, dataset and location in variables the function reads", () => {
    const env = parseKeyValueList(flagValue(deploy(), "--set-env-vars") ?? "");
    // NODE_ENV=production: Express's own error page (a path it cannot decode) then carries no stack trace.
    const { NODE_ENV, ...bigQueryEnv } = env;
    expect(NODE_ENV).toBe("production");
    expect(bigQueryEnv).toEqual({
      BIGQUERY_PROJECT: "acme-orders-1",
      BIGQUERY_DATASET: config.substitutions._DATASET,
      BIGQUERY_LOCATION: config.substitutions._LOCATION,
    });
    const configSource = readFileSync(join(ROOT, "function", "config.ts"), "utf8");
    for (const name of Object.keys(bigQueryEnv)) expect(configSource).toContain(name);
  });

  test("bounds scaling, and gives concurrency above 1 the whole vCPU it needs", () => {
    const args = deploy();
    const maxInstances = Number(flagValue(args, "--max-instances"));
    const concurrency = Number(flagValue(args, "--concurrency"));
    const cpu = Number(flagValue(args, "--cpu"));
    expect(Number.isInteger(maxInstances) && maxInstances >= 1).toBe(true);
    expect(Number.isInteger(concurrency) && concurrency >= 1 && concurrency <= 1000).toBe(true);
    if (concurrency > 1) expect(cpu).toBeGreaterThanOrEqual(1);
    expect(flagValue(args, "--memory")).toMatch(/^\d+(Mi|Gi)$/);
    const timeout = /^(\d+)s$/.exec(flagValue(args, "--timeout") ?? "");
    expect(timeout).not.toBeNull();
    expect(Number(timeout?.[1])).toBeLessThanOrEqual(3600);
  });

  test("the function is compiled by the buildpack through gcp-build, into package.json's main", () => {
    expect(pkg.scripts["gcp-build"]).toMatch(/\bnpm run build\b/);
    expect(pkg.scripts.build).toContain("tsconfig.build.json");
    expect(pkg.main).toBe("dist/function/index.js");
    expect(readdirSync(join(ROOT, "function"))).toContain("index.ts");
  });

  // The flags of `gcloud functions deploy` (GA) that this project may use, from its reference page.
  const GCLOUD_FUNCTIONS_DEPLOY_FLAGS = new Set([
    "--gen2", "--runtime", "--region", "--source", "--entry-point", "--trigger-http", "--allow-unauthenticated",
    "--no-allow-unauthenticated", "--service-account", "--run-service-account", "--build-service-account",
    "--set-env-vars", "--update-env-vars", "--env-vars-file", "--set-build-env-vars", "--update-build-env-vars",
    "--build-env-vars-file", "--max-instances", "--min-instances", "--concurrency", "--cpu", "--memory", "--timeout",
    "--ingress-settings", "--egress-settings", "--vpc-connector", "--docker-repository", "--update-labels",
    "--ignore-file", "--stage-bucket", "--security-level", "--quiet", "--project",
  ]);

  test("uses only flags gcloud functions deploy knows, each once, in --flag=value form", () => {
    const flags = step("deploy").args.slice(3);
    const names = flags.map((f) => f.split("=")[0]);
    for (const name of names) expect(GCLOUD_FUNCTIONS_DEPLOY_FLAGS).toContain(name);
    expect(new Set(names).size).toBe(names.length);
    for (const f of flags) expect(f).toMatch(/^--[a-z][a-z0-9-]*(=\S+)?$/);
    const booleans = ["--gen2", "--trigger-http", "--no-allow-unauthenticated", "--quiet"];
    for (const f of flags.filter((f) => !f.includes("="))) expect(booleans).toContain(f);
  });

  test("the function's build skips install scripts (only test tooling has any) and compiles with gcp-build", () => {
    expect(parseKeyValueList(flagValue(deploy(), "--set-build-env-vars") ?? "")).toEqual({ NPM_CONFIG_IGNORE_SCRIPTS: "true" });
    const lock = JSON.parse(readFileSync(join(ROOT, "package-lock.json"), "utf8")) as {
      packages: Record<string, { hasInstallScript?: boolean; dev?: boolean }>;
    };
    const runtimeWithScripts = Object.entries(lock.packages).filter(([, p]) => p.hasInstallScript && !p.dev);
    expect(runtimeWithScripts.map(([name]) => name)).toEqual([]);
  });
});
