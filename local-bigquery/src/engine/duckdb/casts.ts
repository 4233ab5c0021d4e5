/**
 * CASTs proven equal to GoogleSQL's, by source and target type kind. DuckDB's casts from VARCHAR
 * accept more than GoogleSQL's ('1.0' or '1e3' as BIGINT, 't' as BOOLEAN, '24:00:00' as TIME):
 * the macros validate the text with GoogleSQL's grammar first, raising (or NULL for SAFE_CAST,
 * through the safe_ variants) where it rejects. Text produced follows ZetaSQL's formats.
 */

/** ASCII whitespace, which ZetaSQL strips around numbers. */
const WS = "[ \\t\\n\\x0B\\f\\r]*";
const DECIMAL = "[+-]?([0-9]+\\.?[0-9]*|\\.[0-9]+)([eE][+-]?[0-9]+)?";
const HEX = "[+-]?0[xX][0-9a-fA-F]+";
const TIME_TEXT = "[0-9]{1,2}:[0-9]{1,2}:[0-9]{1,2}(\\.[0-9]{1,9})?";
const DATE_TEXT = "[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}";

export const CAST_MACROS: string[] = [
  // Hex text: the digits as UBIGINT, signed in HUGEINT (NULL beyond 64 bits).
  `CREATE MACRO gsql_hex_value(v) AS CASE WHEN starts_with(trim(v, ' \t\n\x0B\f\r'), '-') THEN -1 ELSE 1 END
     * CAST(TRY_CAST('0x' || regexp_extract(v, '0[xX]([0-9a-fA-F]+)', 1) AS UBIGINT) AS HUGEINT)`,
  `CREATE MACRO gsql_hex_int64(v) AS TRY_CAST(gsql_hex_value(v) AS BIGINT)`,
  `CREATE MACRO gsql_string_int64(v) AS CASE WHEN v IS NULL THEN NULL
     WHEN regexp_full_match(v, '${WS}[+-]?[0-9]+${WS}') THEN coalesce(TRY_CAST(regexp_extract(v, '[+-]?[0-9]+') AS BIGINT), error('Bad int64 value: ' || v))
     WHEN regexp_full_match(v, '${WS}${HEX}${WS}') THEN coalesce(gsql_hex_int64(v), error('Bad int64 value: ' || v))
     ELSE error('Bad int64 value: ' || v) END`,
  `CREATE MACRO gsql_string_double(v) AS CASE WHEN v IS NULL THEN NULL
     WHEN regexp_full_match(v, '${WS}${DECIMAL}${WS}') THEN CAST(regexp_extract(v, '${DECIMAL}') AS DOUBLE)
     WHEN regexp_full_match(v, '${WS}[+-]?(inf|infinity|nan)${WS}', 'i') THEN CAST(trim(v, ' \t\n\x0B\f\r') AS DOUBLE)
     WHEN regexp_full_match(v, '${WS}${HEX}${WS}') THEN CAST(coalesce(gsql_hex_value(v), error('Bad double value: ' || v)) AS DOUBLE)
     ELSE error('Bad double value: ' || v) END`,
  `CREATE MACRO gsql_string_numeric(v) AS CASE WHEN v IS NULL THEN NULL
     WHEN regexp_full_match(v, '${WS}${DECIMAL}${WS}') THEN coalesce(TRY_CAST(regexp_extract(v, '${DECIMAL}') AS DECIMAL(38, 9)), error('Invalid NUMERIC value: ' || v))
     ELSE error('Invalid NUMERIC value: ' || v) END`,
  `CREATE MACRO gsql_string_bool(v) AS CASE WHEN v IS NULL THEN NULL WHEN lower(v) = 'true' THEN TRUE WHEN lower(v) = 'false' THEN FALSE
     ELSE error('Bad bool value: ' || v) END`,
  // DuckDB takes year 0; GoogleSQL starts at 0001.
  `CREATE MACRO gsql_string_date(v) AS CASE WHEN v IS NULL THEN NULL
     WHEN regexp_full_match(v, '${DATE_TEXT}') AND NOT starts_with(v, '0000') THEN coalesce(TRY_CAST(v AS DATE), error('Invalid date: ' || v))
     ELSE error('Invalid date: ' || v) END`,
  // DuckDB takes hour 24, GoogleSQL does not; GoogleSQL takes second 60 (the next minute, wrapping
  // past midnight; its fraction dropped), DuckDB does not: it is read as 59 and a second added.
  `CREATE MACRO gsql_leap(v) AS regexp_matches(v, ':60(\\.[0-9]*)?$')`,
  `CREATE MACRO gsql_unleap(v) AS regexp_replace(v, ':60(\\.[0-9]*)?$', ':59')`,
  `CREATE MACRO gsql_string_time(v) AS CASE WHEN v IS NULL THEN NULL
     WHEN regexp_full_match(v, '${TIME_TEXT}') AND TRY_CAST(split_part(v, ':', 1) AS INTEGER) < 24
     THEN coalesce(TRY_CAST(gsql_unleap(v) AS TIME) + CASE WHEN gsql_leap(v) THEN INTERVAL 1 SECOND ELSE INTERVAL 0 SECOND END, error('Invalid time: ' || v))
     ELSE error('Invalid time: ' || v) END`,
  `CREATE MACRO gsql_string_datetime(v) AS CASE WHEN v IS NULL THEN NULL
     WHEN regexp_full_match(v, '${DATE_TEXT}') AND NOT starts_with(v, '0000') THEN coalesce(CAST(TRY_CAST(v AS DATE) AS TIMESTAMP), error('Invalid datetime: ' || v))
     WHEN regexp_full_match(v, '${DATE_TEXT}[ Tt]${TIME_TEXT}') AND NOT starts_with(v, '0000') AND TRY_CAST(regexp_extract(v, '[ Tt]([0-9]+):', 1) AS INTEGER) < 24
     THEN gsql_datetime_in_range(coalesce(TRY_CAST(gsql_unleap(regexp_replace(v, '[Tt]', ' ')) AS TIMESTAMP), error('Invalid datetime: ' || v))
       + CASE WHEN gsql_leap(v) THEN INTERVAL 1 SECOND ELSE INTERVAL 0 SECOND END)
     ELSE error('Invalid datetime: ' || v) END`,
  // Fractional seconds as ZetaSQL prints them: none, 3 or 6 digits.
  `CREATE MACRO gsql_fraction(us) AS CASE WHEN us = 0 THEN '' WHEN us % 1000 = 0 THEN '.' || lpad(CAST(us // 1000 AS VARCHAR), 3, '0')
     ELSE '.' || lpad(CAST(us AS VARCHAR), 6, '0') END`,
  `CREATE MACRO gsql_time_text(t) AS lpad(CAST(hour(t) AS VARCHAR), 2, '0') || ':' || lpad(CAST(minute(t) AS VARCHAR), 2, '0') || ':'
     || lpad(CAST(second(t) AS VARCHAR), 2, '0') || gsql_fraction(microsecond(t) % 1000000)`,
  // FLOAT64 as ZetaSQL prints it: %.15g, or %.17g where that does not read back the same.
  // -0 prints as 0.
  `CREATE MACRO gsql_double_text(x) AS CASE WHEN isnan(x) THEN 'nan' WHEN x = 'Infinity' THEN 'inf' WHEN x = '-Infinity' THEN '-inf' WHEN x = 0 THEN '0'
     WHEN CAST(printf('%.15g', x) AS DOUBLE) = x THEN printf('%.15g', x) ELSE printf('%.17g', x) END`,
];

type CastForm = (x: string, safe: boolean) => string;

/** A raising macro: SAFE_CAST takes its safe_ variant (errors become NULL). */
const viaMacro =
  (macro: string): CastForm =>
  (x, safe) =>
    `${safe ? "safe_" : ""}${macro}(${x})`;

export const CASTS: Record<string, CastForm> = {
  "TYPE_INT64>TYPE_DOUBLE": (x) => `CAST(${x} AS DOUBLE)`,
  "TYPE_INT64>TYPE_NUMERIC": (x, safe) => `${safe ? "TRY_CAST" : "CAST"}(${x} AS DECIMAL(38, 9))`,
  "TYPE_INT64>TYPE_STRING": (x) => `CAST(${x} AS VARCHAR)`,
  "TYPE_BOOL>TYPE_STRING": (x) => `CAST(${x} AS VARCHAR)`,
  "TYPE_BOOL>TYPE_INT64": (x) => `CAST(${x} AS BIGINT)`,
  "TYPE_INT64>TYPE_BOOL": (x) => `(${x} <> 0)`,
  // GoogleSQL rounds half away from zero, as DuckDB's round() on DOUBLE does; NaN and overflow raise.
  "TYPE_DOUBLE>TYPE_INT64": (x, safe) => `${safe ? "TRY_CAST" : "CAST"}(round(${x}) AS BIGINT)`,
  "TYPE_DOUBLE>TYPE_STRING": (x) => `gsql_double_text(${x})`,
  // DuckDB's DECIMAL to DOUBLE rounds twice (the scaled integer, then the division); its text
  // parser rounds once, correctly, as ZetaSQL does.
  "TYPE_NUMERIC>TYPE_DOUBLE": (x) => `CAST(CAST(${x} AS VARCHAR) AS DOUBLE)`,
  // DECIMAL to BIGINT rounds half away from zero; overflow raises.
  "TYPE_NUMERIC>TYPE_INT64": (x, safe) => `${safe ? "TRY_CAST" : "CAST"}(${x} AS BIGINT)`,
  // DuckDB prints all 9 fractional digits; ZetaSQL drops trailing zeros.
  "TYPE_NUMERIC>TYPE_STRING": (x) => `regexp_replace(regexp_replace(CAST(${x} AS VARCHAR), '0+$', ''), '\\.$', '')`,
  "TYPE_DATE>TYPE_TIMESTAMP": (x) => `CAST(${x} AS TIMESTAMPTZ)`,
  "TYPE_DATE>TYPE_DATETIME": (x) => `CAST(${x} AS TIMESTAMP)`,
  "TYPE_DATE>TYPE_STRING": (x) => `strftime(${x}, '%Y-%m-%d')`,
  "TYPE_TIMESTAMP>TYPE_DATE": (x) => `CAST(${x} AS DATE)`,
  "TYPE_TIMESTAMP>TYPE_DATETIME": (x) => `CAST(${x} AS TIMESTAMP)`,
  "TYPE_TIMESTAMP>TYPE_TIME": (x) => `CAST(CAST(${x} AS TIMESTAMP) AS TIME)`,
  "TYPE_TIMESTAMP>TYPE_STRING": (x) => `(strftime(${x}, '%Y-%m-%d %H:%M:%S') || gsql_fraction(microsecond(${x}) % 1000000) || '+00')`,
  "TYPE_DATETIME>TYPE_DATE": (x) => `CAST(${x} AS DATE)`,
  "TYPE_DATETIME>TYPE_TIME": (x) => `CAST(${x} AS TIME)`,
  "TYPE_DATETIME>TYPE_TIMESTAMP": (x) => `CAST(${x} AS TIMESTAMPTZ)`,
  "TYPE_DATETIME>TYPE_STRING": (x) => `(strftime(${x}, '%Y-%m-%d %H:%M:%S') || gsql_fraction(microsecond(${x}) % 1000000))`,
  "TYPE_TIME>TYPE_STRING": (x) => `gsql_time_text(${x})`,
  // BYTES to STRING must be valid UTF-8 (DuckDB's decode raises as ZetaSQL does).
  "TYPE_BYTES>TYPE_STRING": (x, safe) => (safe ? `TRY(decode(${x}))` : `decode(${x})`),
  "TYPE_STRING>TYPE_BYTES": (x) => `encode(${x})`,
  "TYPE_STRING>TYPE_INT64": viaMacro("gsql_string_int64"),
  "TYPE_STRING>TYPE_DOUBLE": viaMacro("gsql_string_double"),
  "TYPE_STRING>TYPE_NUMERIC": viaMacro("gsql_string_numeric"),
  "TYPE_STRING>TYPE_BOOL": viaMacro("gsql_string_bool"),
  "TYPE_STRING>TYPE_DATE": viaMacro("gsql_string_date"),
  "TYPE_STRING>TYPE_TIME": viaMacro("gsql_string_time"),
  "TYPE_STRING>TYPE_DATETIME": viaMacro("gsql_string_datetime"),
};
