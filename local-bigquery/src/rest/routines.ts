/** routines.insert/get/list/update/patch/delete: the functions and procedures of a dataset (the Routine resource). */
import { createHash } from "node:crypto";
import { invalid, notFound, unsupported } from "../errors";
import { checkJsDefinition } from "../execution/js_udfs";
import { typeProto } from "../execution/routine_types";
import { noContent, ok, type RequestParts, type Route } from "../http/route";
import type { RoutineArgument, RoutineMeta, RoutineRef, StandardSqlDataType } from "../model";
import type { ServiceContext } from "./context";
import { requireDataset } from "./datasets";
import { decodePageToken, encodePageToken } from "./paging";
import { bodyObject, isRecord, nonNegativeInt, queryString } from "./request_values";

const ROUTINE_ID = /^[A-Za-z_][A-Za-z0-9_]{0,255}$/;
const TYPES = ["SCALAR_FUNCTION", "PROCEDURE", "TABLE_VALUED_FUNCTION"] as const;
const LANGUAGES = ["SQL", "JAVASCRIPT"] as const;
const MODES = ["IN", "OUT", "INOUT"] as const;

const refOf = (params: Record<string, string>): RoutineRef => ({
  projectId: params.projectId,
  datasetId: params.datasetId,
  routineId: params.routineId,
});

const label = (ref: RoutineRef): string => `${ref.projectId}:${ref.datasetId}.${ref.routineId}`;

function requireRoutine(ctx: ServiceContext, ref: RoutineRef): RoutineMeta {
  requireDataset(ctx, ref);
  const routine = ctx.store.getRoutine(ref);
  if (!routine) throw notFound(`Not found: Routine ${label(ref)}`);
  return routine;
}

export function routineResource(r: RoutineMeta, full = true): Record<string, unknown> {
  const resource: Record<string, unknown> = {
    etag: createHash("md5").update(JSON.stringify(r)).digest("base64"),
    routineReference: { ...r.ref },
    routineType: r.routineType,
    creationTime: String(r.creationTime),
    lastModifiedTime: String(r.lastModifiedTime),
    language: r.language,
  };
  if (!full) return resource;
  if (r.arguments.length > 0) resource.arguments = r.arguments.map((a) => ({ ...a }));
  if (r.returnType) resource.returnType = r.returnType;
  if (r.returnTableType) resource.returnTableType = r.returnTableType;
  resource.definitionBody = r.definitionBody;
  if (r.description !== undefined) resource.description = r.description;
  return resource;
}

function dataType(value: unknown, where: string): StandardSqlDataType {
  if (!isRecord(value) || typeof value.typeKind !== "string") throw invalid(`${where} must be a StandardSqlDataType with a typeKind`, where);
  const type = value as unknown as StandardSqlDataType;
  try {
    typeProto(type);
  } catch {
    throw invalid(`${where} is not a valid type`, where);
  }
  return type;
}

/** A Routine resource from a request body, checked as BigQuery checks it. */
function routineOf(body: Record<string, unknown>, ref: RoutineRef, existing?: RoutineMeta): RoutineMeta {
  if (!ROUTINE_ID.test(ref.routineId)) {
    throw invalid(`Invalid routine ID "${ref.routineId}". Routine IDs must start with a letter or underscore, contain only letters, numbers and underscores, and be at most 256 characters long.`, "routineReference.routineId");
  }
  const routineType = body.routineType;
  if (typeof routineType !== "string" || !(TYPES as readonly string[]).includes(routineType)) {
    throw invalid(`Invalid routineType: ${String(routineType)}; expected one of ${TYPES.join(", ")}`, "routineType");
  }
  if (routineType === "TABLE_VALUED_FUNCTION") throw unsupported("Table-valued functions are not supported by the local BigQuery");
  const language = body.language === undefined ? "SQL" : body.language;
  if (typeof language !== "string" || !(LANGUAGES as readonly string[]).includes(language)) {
    throw invalid(`Invalid language: ${String(language)}; expected SQL or JAVASCRIPT`, "language");
  }
  if (typeof body.definitionBody !== "string" || body.definitionBody.trim() === "") throw invalid("Routine definitionBody is required", "definitionBody");
  const args = body.arguments === undefined ? [] : body.arguments;
  if (!Array.isArray(args)) throw invalid("arguments must be a list", "arguments");
  const argumentsOf = args.map((a, i): RoutineArgument => {
    const where = `arguments[${i}]`;
    if (!isRecord(a) || typeof a.name !== "string" || a.name === "") throw invalid(`${where}.name is required`, where);
    const argument: RoutineArgument = { name: a.name };
    if (a.argumentKind === "ANY_TYPE") argument.argumentKind = "ANY_TYPE";
    else argument.dataType = dataType(a.dataType, `${where}.dataType`);
    if (a.mode !== undefined) {
      if (typeof a.mode !== "string" || !(MODES as readonly string[]).includes(a.mode)) throw invalid(`Invalid ${where}.mode: ${String(a.mode)}`, where);
      argument.mode = a.mode as RoutineArgument["mode"];
    } else if (routineType === "PROCEDURE") argument.mode = "IN";
    return argument;
  });
  // What the local BigQuery cannot run (libraries in Cloud Storage) is refused when created, as in DDL.
  if (language === "JAVASCRIPT") checkJsDefinition(ref.routineId, argumentsOf, body.importedLibraries);
  const now = Date.now();
  return {
    ref,
    routineType: routineType as RoutineMeta["routineType"],
    language: language as RoutineMeta["language"],
    arguments: argumentsOf,
    returnType: body.returnType === undefined || body.returnType === null ? undefined : dataType(body.returnType, "returnType"),
    definitionBody: body.definitionBody,
    description: typeof body.description === "string" ? body.description : undefined,
    creationTime: existing?.creationTime ?? now,
    lastModifiedTime: now,
  };
}

async function insertRoutine(ctx: ServiceContext, req: RequestParts): Promise<Record<string, unknown>> {
  const body = bodyObject(req);
  const reference = isRecord(body.routineReference) ? body.routineReference : {};
  if (typeof reference.routineId !== "string") throw invalid("routineReference.routineId is required", "routineReference");
  const ref: RoutineRef = { projectId: req.params.projectId, datasetId: req.params.datasetId, routineId: reference.routineId };
  requireDataset(ctx, ref);
  const routine = routineOf(body, ref);
  await ctx.store.putRoutine(routine);
  return routineResource(routine);
}

async function updateRoutine(ctx: ServiceContext, req: RequestParts, replace: boolean): Promise<Record<string, unknown>> {
  const ref = refOf(req.params);
  const existing = requireRoutine(ctx, ref);
  const body = bodyObject(req);
  // PUT replaces the whole resource; PATCH keeps the fields it does not name.
  const merged = replace ? body : { ...routineResource(existing), ...body };
  const routine = routineOf(merged, ref, existing);
  await ctx.store.putRoutine(routine, { replace: true });
  return routineResource(routine);
}

export function routineRoutes(ctx: ServiceContext): Route[] {
  const base = "/projects/:projectId/datasets/:datasetId/routines";
  return [
    {
      method: "GET",
      url: base,
      handler: (req) => {
        requireDataset(ctx, { projectId: req.params.projectId, datasetId: req.params.datasetId });
        const all = ctx.store.listRoutines({ projectId: req.params.projectId, datasetId: req.params.datasetId });
        const token = queryString(req, "pageToken");
        const offset = token ? decodePageToken(token) : 0;
        const max = nonNegativeInt(queryString(req, "maxResults"), "maxResults") ?? 1000;
        const page = all.slice(offset, offset + Math.max(1, max));
        const body: Record<string, unknown> = {};
        if (page.length > 0) body.routines = page.map((r) => routineResource(r, false));
        if (offset + page.length < all.length) body.nextPageToken = encodePageToken(offset + page.length);
        return ok(body);
      },
    },
    { method: "POST", url: base, handler: async (req) => ok(await insertRoutine(ctx, req)) },
    { method: "GET", url: `${base}/:routineId`, handler: (req) => ok(routineResource(requireRoutine(ctx, refOf(req.params)))) },
    { method: "PUT", url: `${base}/:routineId`, handler: async (req) => ok(await updateRoutine(ctx, req, true)) },
    { method: "PATCH", url: `${base}/:routineId`, handler: async (req) => ok(await updateRoutine(ctx, req, false)) },
    {
      method: "DELETE",
      url: `${base}/:routineId`,
      handler: async (req) => {
        const ref = refOf(req.params);
        requireRoutine(ctx, ref);
        await ctx.store.deleteRoutine(ref);
        return noContent();
      },
    },
  ];
}
