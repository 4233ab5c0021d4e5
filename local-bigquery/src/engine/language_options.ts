/**
 * The language options every call uses: ZetaSQL's maximum feature set, every
 * statement kind allowed (an empty list means all), BigQuery's external product mode.
 */
import type { ZetaSqlClient } from "./zetasql_client";

export type LanguageOptions = Record<string, unknown>;

export async function languageOptions(client: ZetaSqlClient): Promise<LanguageOptions> {
  const options = await client.call<LanguageOptions>("GetLanguageOptions", { maximumFeatures: true });
  return { ...options, supportedStatementKinds: [], productMode: "PRODUCT_EXTERNAL" };
}
