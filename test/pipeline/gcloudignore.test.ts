/**
 * What `gcloud functions deploy --source=.` would upload. gcloud reads .gcloudignore with
 * gitignore rules, so git itself evaluates the file here: in a scratch repository holding
 * every file of this project (plus build output and local data), with .gcloudignore as its
 * .gitignore, the untracked-and-not-ignored files are the upload.
 */
import { execFileSync } from "node:child_process";
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";

const ROOT = resolve(__dirname, "../..");

// Walked rather than asked of git: a Cloud Build workspace has no .git directory.
const SKIP = new Set([".git", "node_modules", "dist", ".local-bigquery", "coverage"]);
const projectFiles = (dir = ""): string[] =>
  readdirSync(join(ROOT, dir), { withFileTypes: true }).flatMap((e) => {
    const path = dir === "" ? e.name : `${dir}/${e.name}`;
    // A git worktree's .git is a file, not a directory: skipped all the same.
    if (SKIP.has(e.name)) return [];
    if (e.isDirectory()) return projectFiles(path);
    return e.isFile() ? [path] : [];
  });

// Files a developer's checkout has that git does not track, and that must never be uploaded.
const LOCAL_ONLY = ["node_modules/zod/index.js", "dist/function/index.js", ".local-bigquery/store.db", ".df-credentials.json", "coverage/lcov.info"];

let uploaded: string[];
let all: string[];

beforeAll(() => {
  const dir = mkdtempSync(join(tmpdir(), "gcloudignore-"));
  try {
    all = [...new Set([...projectFiles(), ...LOCAL_ONLY, "function/nested/node_modules/x.js"])];
    for (const file of all) {
      mkdirSync(dirname(join(dir, file)), { recursive: true });
      writeFileSync(join(dir, file), "");
    }
    copyFileSync(join(ROOT, ".gcloudignore"), join(dir, ".gitignore"));
    execFileSync("git", ["init", "-q"], { cwd: dir });
    uploaded = execFileSync("git", ["ls-files", "--others", "--exclude-standard"], { cwd: dir, encoding: "utf8" })
      .split("\n")
      .filter((f) => f !== "")
      .sort();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("uploads the package files, the TypeScript configs, function/ and the status list", () => {
  expect(uploaded).toEqual(expect.arrayContaining(["package.json", "package-lock.json", "tsconfig.json", "tsconfig.build.json", "includes/order_statuses.json"]));
  const functionSources = all.filter((f) => f.startsWith("function/") && !f.includes("node_modules"));
  expect(functionSources).toContain("function/index.ts");
  expect(uploaded).toEqual(expect.arrayContaining(functionSources));
});

test("uploads nothing else: no tests, SQLX, local data, local BigQuery, tooling or build output", () => {
  const allowed = /^(package\.json|package-lock\.json|tsconfig\.json|tsconfig\.build\.json|function\/.+|includes\/.+\.json)$/;
  expect(uploaded.filter((f) => !allowed.test(f))).toEqual([]);
  for (const prefix of ["test/", "definitions/", "local-bigquery/", "dashboard/", "setup/", "scripts/", "node_modules/", "dist/", ".local-bigquery/"]) {
    expect(uploaded.filter((f) => f.startsWith(prefix))).toEqual([]);
  }
  expect(uploaded.filter((f) => f.endsWith(".sqlx") || f.includes("node_modules/"))).toEqual([]);
  for (const f of ["cloudbuild.yaml", "workflow_settings.yaml", ".df-credentials.json", "includes/statuses.js"]) expect(uploaded).not.toContain(f);
});
