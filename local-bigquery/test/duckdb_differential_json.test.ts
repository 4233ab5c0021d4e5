/**
 * JSON against ZetaSQL's reference evaluator: JSON cells and literals pass through as their
 * canonical text; JSON_VALUE / JSON_EXTRACT_SCALAR of every kind of scalar (FLOAT64 numbers printed
 * as ZetaSQL prints them), JSON_TYPE, TO_JSON_STRING of JSON.
 */
import { differentialSuite } from "./support/differential";
import { seededRandom } from "./support/expression_generator";

describe("DuckDB compiler vs ZetaSQL: JSON", () => {
  const { same, diff } = differentialSuite();

  it("JSON columns and literals pass through as canonical text", async () => {
    await same("SELECT id, doc FROM j ORDER BY id");
    await same("SELECT JSON '{\"b\": [1, 2.50, \"x\"], \"a\": {\"c\": null}}' AS j, JSON 'null' AS n, CAST(NULL AS JSON) AS m");
    await same("SELECT id, doc FROM j WHERE doc IS NOT NULL AND id > 2");
  });

  it("JSON_VALUE and JSON_EXTRACT_SCALAR: strings unescaped, objects and arrays NULL, numbers as ZetaSQL prints them", async () => {
    await same("SELECT id, JSON_VALUE(doc, '$.a') a, JSON_VALUE(doc, '$.b') b, JSON_VALUE(doc, '$.c[1]') c, JSON_VALUE(doc, '$.d') d, JSON_VALUE(doc, '$') r, JSON_VALUE(doc, '$.big') g, JSON_VALUE(doc, '$[1]') i, JSON_EXTRACT_SCALAR(doc, '$.a.b.c[1]') s, JSON_VALUE(doc, '$.neg') n FROM j");
    await same("SELECT JSON_VALUE(JSON '{\"s\": \"a\\\\\"b\\\\\\\\c\\\\u0001\\\\n\\\\t/é\\\\u2028\"}', '$.s') AS s");
    // FLOAT64 numbers across the exponent range, including the 1e15 boundary where the two engines' defaults differ.
    const random = seededRandom(99);
    const numbers = ["1e-7", "1e15", "2.0784007719238895e15", "9.99999999999999e14", "1e16", "-0.0", "100.0", "0.0001", "1e-5", "5e-324", "1.7976931348623157e308", "123456789012345678", "-9223372036854775808", "18446744073709551615"];
    for (let i = 0; i < 60; i++) numbers.push(String((random() - 0.5) * 10 ** Math.floor(random() * 50 - 25)));
    const literal = `JSON '[${numbers.join(", ")}]'`;
    await same(numbers.map((_, i) => `SELECT ${i} AS i, JSON_VALUE(${literal}, '$[${i}]') AS v`).join(" UNION ALL "));
  });

  it("JSON_TYPE and TO_JSON_STRING of JSON; the forms not proven are refused", async () => {
    await same("SELECT id, JSON_TYPE(doc) t, TO_JSON_STRING(doc) s FROM j");
    expect(await diff().refusal("SELECT JSON_QUERY(doc, '$.a') FROM j")).toBe("unsupported: function json_query");
    expect(await diff().refusal("SELECT JSON_VALUE(doc, '$.\"a b\"') FROM j")).toBe("unsupported: a JSON path other than a literal of .member and [index] steps");
    expect(await diff().refusal("SELECT JSON_EXTRACT_SCALAR('{\"a\": 1.50}', '$.a')")).toBe("unsupported: JSON functions of STRING (their number text is not canonical)");
  });
});
