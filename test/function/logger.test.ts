/** Log lines in Cloud Logging's shape. */
import { Writable } from "node:stream";
import { createLogger, traceFields } from "../../function/logger";

const capture = () => {
  const lines: Array<Record<string, unknown>> = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      lines.push(JSON.parse(chunk.toString()));
      done();
    },
  });
  return { lines, stream };
};

describe("createLogger", () => {
  test.each([
    ["info", "INFO"],
    ["warn", "WARNING"],
    ["error", "ERROR"],
    ["fatal", "CRITICAL"],
  ] as const)("writes %s as severity %s with message and time", (level, severity) => {
    const { lines, stream } = capture();
    createLogger("info", stream)[level]({ requestId: "r1" }, "hello");
    expect(lines[0]).toEqual({ severity, time: expect.stringMatching(/^\d{4}-\d\d-\d\dT/), requestId: "r1", message: "hello" });
  });
});

describe("traceFields", () => {
  test.each([
    [
      "105445aa7843bc8bf206b12000100000/1;o=1",
      { "logging.googleapis.com/trace": "projects/p/traces/105445aa7843bc8bf206b12000100000", "logging.googleapis.com/spanId": "1", "logging.googleapis.com/trace_sampled": true },
    ],
    ["105445aa7843bc8bf206b12000100000", { "logging.googleapis.com/trace": "projects/p/traces/105445aa7843bc8bf206b12000100000" }],
    ["not-a-trace", {}],
    [undefined, {}],
  ])("%s", (header, expected) => {
    expect(traceFields(header, "p")).toEqual(expected);
  });
});
