/** function/openapi.yaml agrees with the code it documents. */
import ORDER_STATUSES from "../../includes/order_statuses.json";
import { LIST_PARAMS } from "../../function/list_params";
import { apiDoc } from "./openapi_check";

interface Schema {
  enum?: string[];
  properties?: Record<string, Schema>;
}

const schemas = apiDoc.components.schemas as Record<string, Schema>;

describe("function/openapi.yaml", () => {
  test("is OpenAPI 3.1 with the two paths the function serves", () => {
    expect(apiDoc.openapi).toBe("3.1.0");
    expect(Object.keys(apiDoc.paths).sort()).toEqual(["/", "/orders/{order_id}"]);
    expect(Object.keys(apiDoc.paths["/"]).sort()).toEqual(["get", "post"]);
  });

  test("lists the canonical statuses of includes/order_statuses.json", () => {
    expect(schemas.CanonicalStatus.enum).toEqual(ORDER_STATUSES);
  });

  test("documents exactly the GET / parameters the function accepts", () => {
    const documented = (apiDoc.paths["/"].get as unknown as { parameters: Array<{ name: string }> }).parameters.map((p) => p.name);
    expect(documented.sort()).toEqual([...LIST_PARAMS].sort());
  });
});
