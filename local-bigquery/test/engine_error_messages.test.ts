/** Engine errors as BigQuery words them: one or two sentences, never a dump of the resolved tree. */
import { status, type ServiceError } from "@grpc/grpc-js";
import { mapGrpcError } from "../src/engine/error_mapping";

const grpcError = (code: status, details: string): ServiceError => Object.assign(new Error(details), { code, details, metadata: undefined as never });

describe("engine error messages", () => {
  it("drops the resolved-tree dump ZetaSQL appends to an unimplemented feature, naming the SQL construct", () => {
    const tree = ["QueryStmt", "+-output_column_list=", ...Array.from({ length: 2000 }, (_, i) => `| +-$groupby.c${i}#${i} AS c${i} [STRING]`)].join("\n");
    const error = mapGrpcError(
      grpcError(status.UNIMPLEMENTED, `Unimplemented feature (ResolvedAggregateScanBase::grouping_set_list not accessed and has non-default value)\n${tree}`),
      1000,
    );
    expect(error.message).toBe(
      "The local BigQuery engine (ZetaSQL's reference implementation) does not implement this: GROUP BY ROLLUP, CUBE or GROUPING SETS (the evaluator does not read grouping_set_list)",
    );
    expect(error.reason).toBe("invalidQuery");
  });

  it("keeps ordinary messages whole and caps overlong ones", () => {
    expect(mapGrpcError(grpcError(status.INVALID_ARGUMENT, "Unrecognized name: x [at 1:8]"), 1000).message).toBe("Unrecognized name: x at [1:8]");
    expect(mapGrpcError(grpcError(status.INVALID_ARGUMENT, "y".repeat(5000)), 1000).message.length).toBeLessThanOrEqual(403);
  });
});
