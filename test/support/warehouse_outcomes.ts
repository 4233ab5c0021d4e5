/** Reading what the Dataform CLI reports: per-action outcomes of `dataform run`, per-test results of `dataform test --json`. */
import type { DataformResult } from "./warehouse";

const OUTCOME = /^(Table created|Table dry run success|Assertion passed|Assertion dry run success|Assertion failed|Assertion dry run failed|Operation completed successfully|Operation dry run success|Operation failed|Operation dry run failed|Dataset creation failed|Dataset dry run failed|Skipping [a-z ]+):\s+(\S+)/;

/** Maps each action Dataform printed ("dataset.name") to its outcome ("Assertion passed", ...). */
export function actionOutcomes(result: DataformResult): Record<string, string> {
  const outcomes: Record<string, string> = {};
  // eslint-disable-next-line no-control-regex
  for (const line of `${result.stdout}\n${result.stderr}`.replace(/\u001b\[[0-9;]*m/g, "").split("\n")) {
    const match = OUTCOME.exec(line.trim());
    if (match) outcomes[match[2]] = match[1];
  }
  return outcomes;
}

/** Names of the actions with the given outcome, sorted. */
export function actionsWith(outcomes: Record<string, string>, outcome: string): string[] {
  return Object.keys(outcomes)
    .filter((name) => outcomes[name] === outcome)
    .sort();
}

export interface UnitTestResult {
  name: string;
  successful: boolean;
  messages?: string[];
}

/** The results printed by `dataform test --json`. */
export function unitTestResults(result: DataformResult): UnitTestResult[] {
  const start = result.stdout.indexOf("[");
  if (start < 0) {
    throw new Error(`dataform test printed no results (exit ${result.code}):\n${result.stdout}\n${result.stderr}`);
  }
  return JSON.parse(result.stdout.slice(start)) as UnitTestResult[];
}

/** Dataform's whole output, for failure messages. */
export function describeRun(result: DataformResult): string {
  return `exit ${result.code}\n--- stdout\n${result.stdout}\n--- stderr\n${result.stderr}`;
}
