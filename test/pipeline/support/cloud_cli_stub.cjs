/*
 * Stand-in for `gcloud` and `bq` in the setup tests (no machine here may call Google).
 * Usage: node cloud_cli_stub.cjs gcloud|bq ARGS... ; the tests put two wrappers named gcloud
 * and bq first on PATH. Every call is appended to $CLOUD_STUB_LOG as JSON ({tool, argv}).
 * Answers come from the JSON state in $CLOUD_STUB_STATE: read commands report what exists,
 * write commands add to it, so a second run of the setup scripts can be checked to create
 * nothing. Only the commands the setup scripts use are understood; anything else exits 97.
 */
const fs = require("node:fs");

const [tool, ...argv] = process.argv.slice(2);
fs.appendFileSync(process.env.CLOUD_STUB_LOG, JSON.stringify({ tool, argv }) + "\n");

const statePath = process.env.CLOUD_STUB_STATE;
const empty = { services: [], serviceAccounts: [], bindings: [], datasets: [], triggers: [], functions: [] };
const state = { ...empty, ...(fs.existsSync(statePath) ? JSON.parse(fs.readFileSync(statePath, "utf8")) : {}) };

const flags = {};
const words = [];
for (const arg of argv) {
  if (arg.startsWith("--")) {
    const eq = arg.indexOf("=");
    if (eq > 0) flags[arg.slice(2, eq)] = arg.slice(eq + 1);
    else flags[arg.slice(2)] = true;
  } else {
    words.push(arg);
  }
}

const exit = (code, out, err) => {
  if (out) process.stdout.write(out + "\n");
  if (err) process.stderr.write(err + "\n");
  process.exit(code);
};
const save = (out) => {
  fs.writeFileSync(statePath, JSON.stringify(state, null, 2));
  exit(0, out);
};
const unsupported = () => exit(97, "", `stub ${tool}: unsupported command: ${argv.join(" ")}`);
const has = (list, item) => list.includes(item);
const add = (list, item) => {
  if (!has(list, item)) list.push(item);
};

// `bindings.role=ROLE AND bindings.members=MEMBER`, as the setup scripts write it.
const policyAnswer = (resource) => {
  const m = /^bindings\.role=(\S+) AND bindings\.members=(\S+)$/.exec(flags.filter ?? "");
  if (!m || flags.flatten !== "bindings[].members" || flags.format !== "value(bindings.role)") unsupported();
  const [, role, member] = m;
  exit(0, has(state.bindings, `${resource} ${role} ${member}`) ? role : "");
};
const addBinding = (resource, role, member) => {
  if (!role || !member) exit(2, "", "stub: --role and --member are required");
  add(state.bindings, `${resource} ${role} ${member}`);
  save("Updated IAM policy.");
};

const gcloud = () => {
  const project = flags.project;
  if (!project && words[0] !== "projects") exit(98, "", "stub gcloud: every call must name --project");
  const command = words.slice(0, 3).join(" ");
  const sa = (email) => {
    if (!has(state.serviceAccounts, email)) exit(1, "", `ERROR: NOT_FOUND: ${email}`);
  };
  if (command.startsWith("services list")) {
    if (flags.enabled !== true) unsupported();
    return exit(0, state.services.join("\n"));
  }
  if (command.startsWith("services enable")) {
    words.slice(2).forEach((api) => add(state.services, api));
    return save();
  }
  if (command === "iam service-accounts describe") {
    return has(state.serviceAccounts, words[3]) ? exit(0, `email: ${words[3]}`) : exit(1, "", `ERROR: NOT_FOUND: ${words[3]}`);
  }
  if (command === "iam service-accounts create") {
    add(state.serviceAccounts, `${words[3]}@${project}.iam.gserviceaccount.com`);
    return save();
  }
  if (command === "iam service-accounts get-iam-policy") {
    sa(words[3]);
    return policyAnswer(`serviceAccount/${words[3]}`);
  }
  if (command === "iam service-accounts add-iam-policy-binding") {
    sa(words[3]);
    return addBinding(`serviceAccount/${words[3]}`, flags.role, flags.member);
  }
  if (words[0] === "projects" && words[1] === "get-iam-policy") return policyAnswer(`project/${words[2]}`);
  if (words[0] === "projects" && words[1] === "add-iam-policy-binding") {
    const member = flags.member ?? "";
    if (member.startsWith("serviceAccount:")) sa(member.slice("serviceAccount:".length));
    return addBinding(`project/${words[2]}`, flags.role, member);
  }
  if (command === "builds triggers describe") {
    return has(state.triggers, words[3]) ? exit(0, `name: ${words[3]}`) : exit(1, "", `ERROR: NOT_FOUND: trigger ${words[3]}`);
  }
  if (command === "builds triggers create" && words[3] === "github") {
    add(state.triggers, flags.name);
    return save();
  }
  const fn = `${flags.region}/${words[2]}`;
  if (command.startsWith("functions describe")) {
    return has(state.functions, fn) ? exit(0, `name: ${words[2]}`) : exit(1, "", `ERROR: NOT_FOUND: function ${fn}`);
  }
  if (command.startsWith("functions add-invoker-policy-binding")) {
    if (!has(state.functions, fn)) exit(1, "", `ERROR: NOT_FOUND: function ${fn}`);
    return addBinding(`run/${fn}`, "roles/run.invoker", flags.member);
  }
  if (words[0] === "run" && words[1] === "services" && words[2] === "get-iam-policy") {
    const service = `${flags.region}/${words[3]}`;
    if (!has(state.functions, service)) exit(1, "", `ERROR: NOT_FOUND: service ${service}`);
    return policyAnswer(`run/${service}`);
  }
  return unsupported();
};

const bq = () => {
  const project = flags.project_id;
  if (!project) exit(98, "", "stub bq: every call must name --project_id");
  const [command, target] = words;
  const dataset = (ref) => state.datasets.find((d) => `${d.project}:${d.id}` === ref);
  if (command === "show") {
    const found = dataset(target);
    if (!found) return exit(2, "", `BigQuery error in show operation: Not found: Dataset ${target}`);
    if (flags.format === "none") return exit(0);
    if (flags.format !== "prettyjson") return unsupported();
    const access = found.grants.map((g) => ({ role: g.role, userByEmail: g.email }));
    return exit(0, JSON.stringify({ datasetReference: { projectId: found.project, datasetId: found.id }, location: found.location, access }, null, 2));
  }
  if (command === "mk") {
    if (flags.dataset !== true || !flags.location) return unsupported();
    if (dataset(target)) return exit(1, "", `BigQuery error in mk operation: Dataset '${target}' already exists.`);
    const [p, id] = target.split(":");
    state.datasets.push({ project: p, id, location: flags.location, grants: [] });
    return save(`Dataset '${target}' successfully created.`);
  }
  if (command === "query") {
    const m = /^GRANT `([^`]+)` ON SCHEMA `([^`.]+)\.([^`]+)` TO "serviceAccount:([^"]+)"$/.exec(target ?? "");
    if (!m || flags.use_legacy_sql !== "false") return unsupported();
    const [, role, p, id, email] = m;
    const found = dataset(`${p}:${id}`);
    if (!found) return exit(2, "", `Error: Not found: Dataset ${p}:${id}`);
    found.grants.push({ role, email });
    return save();
  }
  return unsupported();
};

if (tool === "gcloud") gcloud();
else if (tool === "bq") bq();
else exit(99, "", `stub: unknown tool ${tool}`);
