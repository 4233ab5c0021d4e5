/** BigQuery's error envelope, rendered from a BigQueryError. */
import type { BigQueryError } from "../errors";

const STATUS_NAMES: Record<number, string> = {
  400: "INVALID_ARGUMENT",
  403: "PERMISSION_DENIED",
  404: "NOT_FOUND",
  408: "DEADLINE_EXCEEDED",
  409: "ALREADY_EXISTS",
  413: "INVALID_ARGUMENT",
  500: "INTERNAL",
  501: "UNIMPLEMENTED",
  503: "UNAVAILABLE",
};

export interface ErrorProto {
  message: string;
  domain: "global";
  reason: string;
  location?: string;
  locationType?: string;
}

export function errorProto(error: BigQueryError): ErrorProto {
  const proto: ErrorProto = { message: error.message, domain: "global", reason: error.reason };
  if (error.location !== undefined) {
    proto.location = error.location;
    proto.locationType = "other";
  }
  return proto;
}

export function errorBody(error: BigQueryError): unknown {
  return {
    error: {
      code: error.status,
      message: error.message,
      errors: [errorProto(error)],
      status: STATUS_NAMES[error.status] ?? "UNKNOWN",
    },
  };
}
