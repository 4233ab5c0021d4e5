/** The local BigQuery's route table: every REST resource it serves. */
import type { Route } from "../http/route";
import type { ServiceContext } from "./context";
import { datasetRoutes } from "./datasets";
import { jobRoutes } from "./jobs";
import { routineRoutes } from "./routines";
import { rowAccessPolicyRoutes } from "./row_access_policies";
import { tabledataRoutes } from "./tabledata";
import { tableRoutes } from "./tables";

export const restRoutes = (ctx: ServiceContext): Route[] => [
  ...datasetRoutes(ctx),
  ...tableRoutes(ctx),
  ...tabledataRoutes(ctx),
  ...jobRoutes(ctx),
  ...routineRoutes(ctx),
  ...rowAccessPolicyRoutes(ctx),
];
