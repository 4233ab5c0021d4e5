/** Guard for tests that use the real BigQuery client inside Jest. */

/**
 * @google-cloud/bigquery's HTTP layer (teeny-request) loads node-fetch with a dynamic import(),
 * which Jest's module VM refuses unless Node runs with --experimental-vm-modules: every call
 * would fail with ERR_VM_DYNAMIC_IMPORT_CALLBACK_MISSING_FLAG. Say so instead of failing obscurely.
 */
export const requireVmModules = (): void => {
  const flags = `${process.execArgv.join(" ")} ${process.env.NODE_OPTIONS ?? ""}`;
  if (!flags.includes("--experimental-vm-modules")) {
    throw new Error("run jest with NODE_OPTIONS=--experimental-vm-modules: the BigQuery client's dynamic import() of node-fetch needs it inside Jest");
  }
};
