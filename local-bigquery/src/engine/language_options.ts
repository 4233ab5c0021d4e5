/**
 * The language options every call uses: ZetaSQL's maximum feature set, every
 * statement kind allowed (an empty list means all), BigQuery's external product mode.
 * The maximum set leaves out features ZetaSQL marks in development; BigQuery has these ones:
 * INTERVAL (literals, MAKE_INTERVAL, JUSTIFY_*, EXTRACT from an interval, date/time arithmetic
 * with intervals; without it ZetaSQL says "Unexpected INTERVAL expression"), GROUPING SETS and
 * CUBE, and the GROUPING() function.
 */
import type { ZetaSqlClient } from "./zetasql_client";

const BIGQUERY_FEATURES = ["FEATURE_INTERVAL_TYPE", "FEATURE_V_1_4_GROUPING_SETS", "FEATURE_V_1_4_GROUPING_BUILTIN"];

export type LanguageOptions = Record<string, unknown>;

export async function languageOptions(client: ZetaSqlClient): Promise<LanguageOptions> {
  const options = await client.call<LanguageOptions>("GetLanguageOptions", { maximumFeatures: true });
  const features = new Set([...((options.enabledLanguageFeatures as string[] | undefined) ?? []), ...BIGQUERY_FEATURES]);
  return { ...options, enabledLanguageFeatures: [...features], supportedStatementKinds: [], productMode: "PRODUCT_EXTERNAL" };
}
