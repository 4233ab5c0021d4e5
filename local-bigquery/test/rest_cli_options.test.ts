/** The CLI's options: flags over environment over defaults, and clear messages for bad values. */
import { OptionsError, parseOptions } from "../src/cli_options";

describe("CLI options", () => {
  it("defaults to 127.0.0.1:9050 and .local-bigquery/", () => {
    expect(parseOptions([], {})).toEqual({ port: 9050, host: "127.0.0.1", dataDir: ".local-bigquery/", logLevel: "info" });
  });

  it("reads the environment, and flags win over it", () => {
    const env = { LOCAL_BIGQUERY_PORT: "9061", LOCAL_BIGQUERY_DATA: "/tmp/bq" };
    expect(parseOptions([], env)).toEqual({ port: 9061, host: "127.0.0.1", dataDir: "/tmp/bq", logLevel: "info" });
    expect(parseOptions(["--port", "0", "--data=/x"], env)).toEqual({ port: 0, host: "127.0.0.1", dataDir: "/x", logLevel: "info" });
  });

  it.each([
    [[], { LOCAL_BIGQUERY_PORT: "abc" }, 'Invalid LOCAL_BIGQUERY_PORT="abc": must be a whole number'],
    [[], { LOCAL_BIGQUERY_PORT: "70000" }, 'Invalid LOCAL_BIGQUERY_PORT="70000": must be 0-65535'],
    [[], { LOCAL_BIGQUERY_DATA: "" }, 'Invalid LOCAL_BIGQUERY_DATA="": must not be empty'],
    [["--log-level", "loud"], {}, 'Invalid --log-level="loud": must be one of debug, info, warn, error, silent'],
    [["--port"], {}, "--port needs a value"],
    [["--verbose"], {}, "Unknown argument --verbose. Options: --port N, --host H, --data DIR, --log-level LEVEL"],
  ])("rejects %j %j", (argv, env, message) => {
    expect(() => parseOptions(argv, env)).toThrow(new OptionsError(message));
  });
});
