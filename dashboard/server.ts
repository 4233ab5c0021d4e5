/**
 * The local dashboard: a page that draws the Looker Studio report's charts from the
 * same views, read through @google-cloud/bigquery from the local BigQuery. A
 * developer tool started by `npm start` (DASHBOARD_PORT); never deployed.
 *
 *   GET /                      the page (dashboard/page/)
 *   GET /api/charts?from&to    every chart's Vega-Lite spec with its rows, or its query's error
 *   GET /vendor/<lib>.js       vega, vega-lite and vega-embed browser builds from node_modules
 */
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { BigQuery } from "@google-cloud/bigquery";
import Fastify, { type FastifyInstance, type FastifyReply } from "fastify";
import { CHARTS, type Chart } from "./charts";
import { isEmpty, readChart, type DateRange } from "./queries";
import { chartSpec, type VegaLiteSpec } from "./specs";

export interface DashboardOptions {
  /** The local BigQuery's URL (the BIGQUERY_EMULATOR_HOST value). */
  bigqueryUrl: string;
  projectId: string;
  dataset: string;
  port: number;
  host: string;
}

export interface Dashboard {
  url: string;
  stop(): Promise<void>;
}

export interface ChartAnswer {
  id: string;
  title: string;
  /** Present when the query succeeded. */
  spec?: VegaLiteSpec;
  empty?: boolean;
  /** The query's error message when it failed. */
  error?: string;
}

const PAGE = join(__dirname, "page");
/** Each library's minified browser build sits beside its CommonJS entry point, in build/. */
const VENDOR = Object.fromEntries(
  ["vega", "vega-lite", "vega-embed"].map((pkg) => [`${pkg}.js`, join(dirname(require.resolve(pkg)), `${pkg}.min.js`)]),
) as Record<string, string>;

const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** A YYYY-MM-DD that is a real calendar date, else a message naming the parameter. */
const dateProblem = (name: string, value: string): string | undefined => {
  if (!DATE.test(value) || new Date(`${value}T00:00:00Z`).toISOString().slice(0, 10) !== value) {
    return `${name} must be a date as YYYY-MM-DD, got ${JSON.stringify(value)}`;
  }
  return undefined;
};

const answer = async (bigquery: BigQuery, dataset: string, chart: Chart, range: DateRange): Promise<ChartAnswer> => {
  try {
    const rows = await readChart(bigquery, chart, dataset, range);
    return { id: chart.id, title: chart.title, spec: chartSpec(chart, rows), empty: isEmpty(chart, rows) };
  } catch (error) {
    return { id: chart.id, title: chart.title, error: error instanceof Error ? error.message : String(error) };
  }
};

export const buildDashboard = (opts: Omit<DashboardOptions, "port" | "host">): FastifyInstance => {
  const bigquery = new BigQuery({ projectId: opts.projectId, apiEndpoint: opts.bigqueryUrl });
  const app = Fastify({ logger: false });
  const file = (type: string, path: string) => async (_req: unknown, reply: FastifyReply) => reply.type(type).send(readFileSync(path));
  app.get("/", file("text/html; charset=utf-8", join(PAGE, "index.html")));
  app.get("/dashboard.js", file("text/javascript; charset=utf-8", join(PAGE, "dashboard.js")));
  app.get<{ Params: { name: string } }>("/vendor/:name", async (req, reply) => {
    const path = VENDOR[req.params.name];
    if (!path) return reply.code(404).send({ error: `no vendor file ${req.params.name}` });
    return reply.type("text/javascript; charset=utf-8").send(readFileSync(path));
  });
  app.get<{ Querystring: { from?: string; to?: string } }>("/api/charts", async (req, reply) => {
    const range: DateRange = { from: req.query.from || undefined, to: req.query.to || undefined };
    const problems = [range.from && dateProblem("from", range.from), range.to && dateProblem("to", range.to)].filter(Boolean);
    if (range.from && range.to && problems.length === 0 && range.from > range.to) problems.push(`from (${range.from}) is after to (${range.to})`);
    if (problems.length) return reply.code(400).send({ error: problems.join("; ") });
    const charts = await Promise.all(CHARTS.map((chart) => answer(bigquery, opts.dataset, chart, range)));
    return { readAt: new Date().toISOString(), range, charts };
  });
  return app;
};

/** Serves the dashboard on host:port (0 = a free port). */
export const startDashboard = async (opts: DashboardOptions): Promise<Dashboard> => {
  const app = buildDashboard(opts);
  await app.listen({ port: opts.port, host: opts.host });
  const address = app.server.address();
  const port = typeof address === "object" && address ? address.port : opts.port;
  return { url: `http://${opts.host}:${port}`, stop: () => app.close() };
};
