/**
 * Checks real answers against function/openapi.yaml: the status must be
 * documented for the operation, the body must match the documented schema
 * (JSON Schema 2020-12, as OpenAPI 3.1 uses) and documented headers must be present.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import Ajv2020 from "ajv/dist/2020";
import addFormats from "ajv-formats";
import { parse } from "yaml";

interface ResponseDoc {
  $ref?: string;
  content?: Record<string, { schema: unknown }>;
  headers?: Record<string, unknown>;
}
interface OperationDoc {
  responses: Record<string, ResponseDoc>;
}
interface ApiDoc {
  openapi: string;
  paths: Record<string, Record<string, OperationDoc>>;
  components: { schemas: Record<string, unknown>; responses: Record<string, ResponseDoc> };
}

export const apiDoc = parse(readFileSync(join(__dirname, "../../function/openapi.yaml"), "utf8")) as ApiDoc;

const ajv = new Ajv2020({ allErrors: true, strict: true });
addFormats(ajv);
// The component schemas as one schema document; OpenAPI's refs become $defs refs.
const ROOT = "https://orders.example/openapi";
ajv.addSchema(JSON.parse(JSON.stringify({ $id: ROOT, $defs: apiDoc.components.schemas }).replaceAll("#/components/schemas/", "#/$defs/")));

const compiled = new Map<string, ReturnType<typeof ajv.compile>>();

const schemaRef = (schema: unknown): unknown => JSON.parse(JSON.stringify(schema).replaceAll("#/components/schemas/", `${ROOT}#/$defs/`));

/** Every schema problem of `body` for this operation and status; empty when the answer is as documented. */
export const apiViolations = (method: string, path: string, status: number, headers: Headers, body: unknown): string[] => {
  const operation = apiDoc.paths[path]?.[method.toLowerCase()];
  if (!operation) {
    // Undocumented paths and methods (404, 405) must still answer with the documented error body.
    if (status < 400) return [`${method} ${path} is not in the document, yet answered ${status}`];
    return schemaProblems({ $ref: "#/components/schemas/Error" }, body);
  }
  let response = operation.responses[String(status)];
  if (!response) return [`${method} ${path} does not document status ${status}`];
  if (response.$ref) response = apiDoc.components.responses[response.$ref.split("/").pop() as string];
  const problems: string[] = [];
  for (const name of Object.keys(response.headers ?? {})) {
    // Link is only sent when another page follows; every other documented header is always sent.
    if (name !== "Link" && !headers.has(name)) problems.push(`header ${name} is missing`);
  }
  const media = response.content?.["application/json"];
  if (media) {
    if (!(headers.get("content-type") ?? "").startsWith("application/json")) problems.push(`content-type is ${headers.get("content-type")}`);
    problems.push(...schemaProblems(media.schema, body));
  }
  return problems;
};

function schemaProblems(schema: unknown, body: unknown): string[] {
  const key = JSON.stringify(schema);
  const validate = compiled.get(key) ?? ajv.compile(schemaRef(schema) as object);
  compiled.set(key, validate);
  return validate(body) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath || "/"} ${e.message}`);
}
