/**
 * Entry point `orders`: what functions-framework loads, locally and in Cloud
 * Functions. Configuration is checked here, at load, so a bad setting stops the
 * instance with a clear message instead of failing requests later.
 */
import { http } from "@google-cloud/functions-framework";
import { createOrdersHandler } from "./app";
import { keepBodyParserErrors } from "./body_errors";
import { ConfigError, loadConfig } from "./config";
import { createLogger } from "./logger";

// Used before the configuration (and so LOG_LEVEL) is known to be valid.
const bootLogger = createLogger("info");

const load = () => {
  try {
    return loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) bootLogger.fatal(err.message);
    throw err;
  }
};

keepBodyParserErrors();
const config = load();
http("orders", createOrdersHandler(config, createLogger(config.logLevel)));
