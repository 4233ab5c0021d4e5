/**
 * cloudbuild.yaml as data: parsed with `yaml`, checked with zod, and its substitutions
 * resolved the way Cloud Build resolves them. The file stays the single list of steps;
 * the local rehearsal and the tests read it through this module.
 */
import { readFileSync } from "node:fs";
import { parse } from "yaml";
import { z } from "zod";

/** Substitutions Cloud Build provides itself; every other name must be a declared `_NAME`. */
export const BUILT_IN_SUBSTITUTIONS = [
  "PROJECT_ID",
  "PROJECT_NUMBER",
  "BUILD_ID",
  "LOCATION",
  "TRIGGER_NAME",
  "COMMIT_SHA",
  "REVISION_ID",
  "SHORT_SHA",
  "REPO_NAME",
  "REPO_FULL_NAME",
  "BRANCH_NAME",
  "TAG_NAME",
  "REF_NAME",
  "TRIGGER_BUILD_CONFIG_PATH",
  "SERVICE_ACCOUNT_EMAIL",
  "SERVICE_ACCOUNT",
] as const;

const StepSchema = z.object({
  id: z.string().regex(/^[a-z][a-z0-9-]*$/, "step ids are lower-case words joined by dashes"),
  name: z.string().min(1),
  entrypoint: z.string().min(1).optional(),
  args: z.array(z.string()).default([]),
  env: z.array(z.string()).optional(),
  dir: z.string().optional(),
  waitFor: z.array(z.string()).optional(),
});

const CloudBuildSchema = z.object({
  steps: z.array(StepSchema).min(1),
  // User-defined substitutions start with an underscore, then upper-case letters, digits, underscores.
  substitutions: z.record(z.string().regex(/^_[A-Z0-9_]+$/), z.coerce.string()).default({}),
  options: z.object({ logging: z.string().optional() }).passthrough().optional(),
  timeout: z.string().optional(),
});

export type BuildStep = z.infer<typeof StepSchema>;
export type CloudBuildConfig = z.infer<typeof CloudBuildSchema>;

/** Reads and validates a Cloud Build config; throws with the offending field named. */
export const loadCloudBuild = (path: string): CloudBuildConfig => {
  const parsed = CloudBuildSchema.safeParse(parse(readFileSync(path, "utf8")));
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join(".") || "(root)"}: ${i.message}`);
    throw new Error(`${path} is not a valid Cloud Build config: ${problems.join("; ")}`);
  }
  const ids = parsed.data.steps.map((s) => s.id);
  const duplicate = ids.find((id, i) => ids.indexOf(id) !== i);
  if (duplicate) throw new Error(`${path}: step id "${duplicate}" is used twice`);
  return parsed.data;
};

// `$$` is a literal dollar; `${NAME}` and `$NAME` are substitutions (Cloud Build's syntax).
const REFERENCE = /\$\$|\$\{([A-Za-z_][A-Za-z0-9_]*)\}|\$([A-Za-z_][A-Za-z0-9_]*)/g;

/** Every substitution name a string refers to, in order of appearance. */
export const substitutionsIn = (text: string): string[] =>
  [...text.matchAll(REFERENCE)].flatMap((m) => (m[0] === "$$" ? [] : [m[1] ?? m[2]]));

/** Every substitution name the steps refer to (names, entrypoints, args, env, dirs). */
export const substitutionsUsed = (config: CloudBuildConfig): Set<string> => {
  const texts = config.steps.flatMap((s) => [s.name, s.entrypoint ?? "", s.dir ?? "", ...s.args, ...(s.env ?? [])]);
  return new Set(texts.flatMap(substitutionsIn));
};

/** Replaces every reference; a name without a value is an error, as under MUST_MATCH. */
export const substitute = (text: string, values: Readonly<Record<string, string>>): string =>
  text.replace(REFERENCE, (whole, braced: string | undefined, bare: string | undefined) => {
    if (whole === "$$") return "$";
    const name = (braced ?? bare) as string;
    const value = values[name];
    if (value === undefined) throw new Error(`substitution ${name} has no value`);
    return value;
  });

/** A step with its substitutions resolved. */
export const resolveStep = (step: BuildStep, values: Readonly<Record<string, string>>): BuildStep => ({
  ...step,
  name: substitute(step.name, values),
  entrypoint: step.entrypoint === undefined ? undefined : substitute(step.entrypoint, values),
  args: step.args.map((a) => substitute(a, values)),
  env: step.env?.map((e) => substitute(e, values)),
});

/**
 * Reads `--flag=value` (or `--flag value`) from a step's arguments; undefined when absent.
 * Used to take the deploy step's entry point and environment rather than repeating them.
 */
export const flagValue = (args: readonly string[], flag: string): string | undefined => {
  for (let i = 0; i < args.length; i++) {
    if (args[i].startsWith(`${flag}=`)) return args[i].slice(flag.length + 1);
    if (args[i] === flag && i + 1 < args.length) return args[i + 1];
  }
  return undefined;
};

/** Parses gcloud's `KEY=VALUE,KEY2=VALUE2` list syntax (as in --set-env-vars). */
export const parseKeyValueList = (list: string): Record<string, string> =>
  Object.fromEntries(
    list
      .split(",")
      .filter((pair) => pair !== "")
      .map((pair) => {
        const eq = pair.indexOf("=");
        if (eq <= 0) throw new Error(`"${pair}" is not KEY=VALUE`);
        return [pair.slice(0, eq), pair.slice(eq + 1)];
      }),
  );
