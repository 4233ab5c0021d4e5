/**
 * `npm run looker:link -- --project=P [--dataset=D]`: prints a Looker Studio Linking API URL
 * that creates a report with the three views as BigQuery data sources. Opening it (signed in
 * with an account that can read the dataset) creates the report; "Edit and share" saves it.
 * Every calculated field lives in the views, so the data sources are the views as they are.
 */
import { parseArgs } from "node:util";
import { dashboardViews } from "../dashboard/charts";

export const LINKING_API_URL = "https://lookerstudio.google.com/reporting/create";
export const DEFAULT_DATASET = "ecommerce_orders";

/**
 * The views the dashboard reads, from the one chart list (dashboard/charts.ts): the data source
 * alias each gets in the report, and the columns its charts use. Every measure is a column of a
 * view, so the report needs no calculated field.
 */
export const DASHBOARD_VIEWS = dashboardViews();

export interface LinkOptions {
  project: string;
  dataset?: string;
  reportName?: string;
}

/** Builds the Linking API URL; project and dataset name the BigQuery tables and the billing project. */
export const lookerStudioLink = ({ project, dataset = DEFAULT_DATASET, reportName }: LinkOptions): string => {
  const url = new URL(LINKING_API_URL);
  const q = url.searchParams;
  q.set("r.reportName", reportName ?? `Orders (${project}.${dataset})`);
  for (const { alias, view } of DASHBOARD_VIEWS) {
    q.set(`ds.${alias}.connector`, "bigQuery");
    q.set(`ds.${alias}.type`, "TABLE");
    q.set(`ds.${alias}.projectId`, project);
    q.set(`ds.${alias}.datasetId`, dataset);
    q.set(`ds.${alias}.tableId`, view);
    q.set(`ds.${alias}.billingProjectId`, project);
    q.set(`ds.${alias}.datasourceName`, view);
  }
  return url.toString();
};

const PROJECT_ID = /^[a-z][a-z0-9.:-]{0,127}$/;
const DATASET_ID = /^[A-Za-z_][A-Za-z0-9_]{0,1023}$/;

const USAGE = `Usage: npm run looker:link -- --project=PROJECT_ID [--dataset=DATASET] [--report-name=NAME]

  --project      Google Cloud project holding the dataset (or BIGQUERY_PROJECT / GOOGLE_CLOUD_PROJECT)
  --dataset      dataset with the views (or BIGQUERY_DATASET; default ${DEFAULT_DATASET})
  --report-name  name of the new report`;

/** CLI: prints the URL; returns the exit code (2 for bad or missing options). */
export const main = (argv: readonly string[], env: NodeJS.ProcessEnv = process.env): number => {
  let values;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: {
        project: { type: "string" },
        dataset: { type: "string" },
        "report-name": { type: "string" },
        help: { type: "boolean", default: false },
      },
      strict: true,
    }));
  } catch (err) {
    console.error(`looker:link: ${(err as Error).message}\n\n${USAGE}`);
    return 2;
  }
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const project = values.project ?? env.BIGQUERY_PROJECT ?? env.GOOGLE_CLOUD_PROJECT;
  const dataset = values.dataset ?? env.BIGQUERY_DATASET ?? DEFAULT_DATASET;
  if (!project) {
    console.error(`looker:link: --project is required (the Google Cloud project id)\n\n${USAGE}`);
    return 2;
  }
  if (!PROJECT_ID.test(project)) {
    console.error(`looker:link: --project "${project}" is not a Google Cloud project id`);
    return 2;
  }
  if (!DATASET_ID.test(dataset)) {
    console.error(`looker:link: --dataset "${dataset}" is not a BigQuery dataset id`);
    return 2;
  }
  console.log(lookerStudioLink({ project, dataset, reportName: values["report-name"] }));
  return 0;
};

if (require.main === module) process.exitCode = main(process.argv.slice(2));
