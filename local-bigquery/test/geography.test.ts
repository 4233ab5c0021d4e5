/**
 * GEOGRAPHY and the ST_ functions, through the real executor (ZetaSQL analysis, DuckDB execution).
 * Expected values are BigQuery's: from its documentation's examples (ZetaSQL's geography_functions.md)
 * and from the conformance corpus recorded on real BigQuery (specialized_types), written out by hand.
 * (The differential oracle cannot check these: the reference evaluator has no ST_ function.)
 */
import { startHarness, type Harness } from "./support/executor_harness";

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
}, 60_000);
afterAll(async () => h.stop());

const rows = async (sql: string, extra = {}): Promise<unknown[][]> => ((await h.run(sql, extra)).rows ?? []) as unknown[][];
const one = async (sql: string): Promise<unknown> => (await rows(sql))[0][0];
const near = (actual: unknown, expected: number, relative = 1e-12): void => {
  expect(Math.abs(Number(actual) - expected)).toBeLessThanOrEqual(Math.abs(expected) * relative);
};

describe("values, WKT and BigQuery's normal form", () => {
  test("points print as BigQuery prints them (%.15g)", async () => {
    expect(await rows("SELECT ST_ASTEXT(ST_GEOGPOINT(-122.4, 37.8)), ST_GEOGPOINT(1.5, 2.5), ST_GEOGPOINT(0, 0)")).toEqual([["POINT(-122.4 37.8)", "POINT(1.5 2.5)", "POINT(0 0)"]]);
    // Longitudes wrap (documented: modulo 360).
    expect(await one("SELECT ST_ASTEXT(ST_GEOGPOINT(190, 10))")).toBe("POINT(-170 10)");
  });

  test("coordinates are the S2 point's: ST_X(ST_GEOGPOINT(1, 1)) is 1 - 2^-52 (the corpus' ST_ASBINARY bits)", async () => {
    expect(await rows("SELECT ST_ASBINARY(ST_GEOGPOINT(1, 1)), ST_X(ST_GEOGPOINT(1.25, 2.5)), ST_Y(ST_GEOGPOINT(1.25, 2.5))")).toEqual([["AQEAAAD+///////vPwAAAAAAAPA/", "1.25", "2.5"]]);
    expect(await one("SELECT ST_X(ST_GEOGPOINT(1, 1))")).toBe("0.9999999999999998");
  });

  test("a clockwise polygon is the smaller region, its loop reversed in place", async () => {
    expect(await one("SELECT ST_GEOGFROMTEXT('POLYGON((0 0, 0 2, 2 2, 2 0, 0 0))')")).toBe("POLYGON((2 0, 2 2, 0 2, 0 0, 2 0))");
    expect(await one("SELECT ST_ASTEXT(ST_GEOGFROMTEXT('POLYGON((0 0, 4 0, 4 4, 0 4, 0 0))'))")).toBe("POLYGON((0 0, 4 0, 4 4, 0 4, 0 0))");
  });

  test("points are sorted by S2 cell (the documentation's MULTIPOINT examples)", async () => {
    expect(await one("SELECT ST_GEOGFROMTEXT('MULTIPOINT(2 11, 4 12, 0 15, 1 9, 1 12)')")).toBe("MULTIPOINT(1 9, 4 12, 2 11, 1 12, 0 15)");
    expect(await one("SELECT ST_GEOGFROMTEXT('MULTIPOINT(1 1, 2 2, 4 4, 5 2)')")).toBe("MULTIPOINT(1 1, 2 2, 5 2, 4 4)");
  });

  test("collections, the empty geography and ST_GEOMETRYTYPE (documented examples)", async () => {
    const r = await rows(`SELECT g, ST_GEOMETRYTYPE(g), ST_DIMENSION(g), ST_ISEMPTY(g), ST_ISCOLLECTION(g) FROM UNNEST([
      ST_GEOGFROMTEXT('POINT(0 1)'), ST_GEOGFROMTEXT('MULTILINESTRING((2 2, 3 4), (5 6, 7 7))'),
      ST_GEOGFROMTEXT('GEOMETRYCOLLECTION(MULTIPOINT(-1 2, 0 12), LINESTRING(-2 4, 0 6))'),
      ST_GEOGFROMTEXT('GEOMETRYCOLLECTION EMPTY'), ST_GEOGFROMTEXT('POINT EMPTY')]) AS g WITH OFFSET o ORDER BY o`);
    expect(r).toEqual([
      ["POINT(0 1)", "ST_Point", "0", "false", "false"],
      ["MULTILINESTRING((2 2, 3 4), (5 6, 7 7))", "ST_MultiLineString", "1", "false", "true"],
      ["GEOMETRYCOLLECTION(MULTIPOINT(-1 2, 0 12), LINESTRING(-2 4, 0 6))", "ST_GeometryCollection", "1", "false", "true"],
      ["GEOMETRYCOLLECTION EMPTY", "ST_GeometryCollection", "-1", "true", "false"],
      ["GEOMETRYCOLLECTION EMPTY", "ST_GeometryCollection", "-1", "true", "false"],
    ]);
  });

  test("invalid WKT is an error; SAFE. makes it NULL (the documented self-intersecting polygon)", async () => {
    const error = await h.failure("SELECT ST_GEOGFROMTEXT('POINT(1')");
    expect(error.message).toMatch(/ST_GeogFromText failed: Invalid WKT/);
    expect((error as { reason?: string }).reason).toBe("invalidQuery");
    expect(await rows("SELECT SAFE.ST_GEOGFROMTEXT('POLYGON((0 -1, 2 1, 2 -1, 0 1))'), SAFE.ST_GEOGFROMTEXT('POINT(1 2)')")).toEqual([[null, "POINT(1 2)"]]);
    expect((await h.failure("SELECT ST_GEOGPOINT(0, 91)")).message).toMatch(/Latitude must be between -90 and 90/);
    expect(await one("SELECT ST_GEOGFROMTEXT(CAST(NULL AS STRING))")).toBeNull();
  });

  test("WKB and GeoJSON in (documented and corpus examples)", async () => {
    expect(
      await rows(`SELECT ST_GEOGFROMWKB(FROM_HEX('0101000000000000000000F03F0000000000000040')), ST_GEOGFROMWKB('010100000000000000000000400000000000001040'),
        ST_ASTEXT(ST_GEOGFROMGEOJSON('{"type":"Point","coordinates":[3,4]}'))`),
    ).toEqual([["POINT(1 2)", "POINT(2 4)", "POINT(3 4)"]]);
    // ST_GEOGFROM's documented examples: WKT, hexadecimal WKB, WKB bytes.
    expect(
      await rows(`SELECT ST_GEOGFROM('POLYGON((0 0, 0 2, 2 2, 2 0, 0 0))'), ST_GEOGFROM('010100000000000000000000400000000000001040'),
        ST_GEOGFROM(FROM_HEX('010100000000000000000000400000000000001040'))`),
    ).toEqual([["POLYGON((2 0, 2 2, 0 2, 0 0, 2 0))", "POINT(2 4)", "POINT(2 4)"]]);
  });

  test("GEOGRAPHY columns: stored, filtered, read back as WKT; parameters are WKT", async () => {
    await h.run("CREATE SCHEMA geo");
    await h.run("CREATE TABLE geo.places (name STRING, loc GEOGRAPHY)");
    await h.run("INSERT INTO geo.places (name, loc) VALUES ('a', ST_GEOGPOINT(-122.4, 37.8)), ('b', ST_GEOGPOINT(0.0, 0.0)), ('c', NULL)");
    expect(await rows("SELECT name, ST_ASTEXT(loc) FROM geo.places WHERE loc IS NOT NULL ORDER BY name")).toEqual([["a", "POINT(-122.4 37.8)"], ["b", "POINT(0 0)"]]);
    expect(await h.cells("geo", "places")).toEqual([["a", "POINT(-122.4 37.8)"], ["b", "POINT(0 0)"], ["c", null]]);
    await h.run("UPDATE geo.places SET loc = ST_GEOGFROMTEXT('LINESTRING(0 0, 1 1)') WHERE name = 'c'");
    expect(await rows("SELECT loc, ST_LENGTH(loc) > 0 FROM geo.places WHERE name = 'c'")).toEqual([["LINESTRING(0 0, 1 1)", "true"]]);
    // Stored values keep their S2 points exactly.
    expect(await one("SELECT ST_X(loc) FROM geo.places WHERE name = 'a'")).toBe(await one("SELECT ST_X(ST_GEOGPOINT(-122.4, 37.8))"));
    const param = { params: [{ name: "g", type: { type: "GEOGRAPHY" }, value: "POINT(0 0)" }] };
    expect(await rows("SELECT name FROM geo.places WHERE ST_DWITHIN(loc, @g, 1000) ORDER BY name", param)).toEqual([["b"], ["c"]]);
  });

  test("GEOGRAPHY cannot be ordered, grouped or compared (ZetaSQL's analysis, as BigQuery)", async () => {
    expect((await h.failure("SELECT g FROM UNNEST([ST_GEOGPOINT(1, 1)]) g ORDER BY g")).message).toMatch(/ORDER BY does not support expressions of type GEOGRAPHY/);
    expect((await h.failure("SELECT g FROM UNNEST([ST_GEOGPOINT(1, 1)]) g GROUP BY g")).message).toMatch(/Grouping by expressions of type GEOGRAPHY is not allowed/);
    expect((await h.failure("SELECT DISTINCT g FROM UNNEST([ST_GEOGPOINT(1, 1)]) g")).message).toMatch(/GEOGRAPHY/);
  });
});

describe("measures (sphere of S2Earth's radius, 6371010 m)", () => {
  test("distances and lengths (corpus)", async () => {
    near(await one("SELECT ST_DISTANCE(ST_GEOGPOINT(-74.0060, 40.7128), ST_GEOGPOINT(-118.2437, 34.0522))"), 3935752.432205476);
    near(await one("SELECT ST_DISTANCE(ST_GEOGPOINT(-73.9857, 40.7580), ST_GEOGPOINT(-73.9857, 40.7670))"), 1000.7559105974154);
    near(await one("SELECT ST_DISTANCE(ST_GEOGPOINT(0, 80), ST_GEOGPOINT(10, 80))"), 192850.64753185026);
    near(await one("SELECT ST_LENGTH(ST_GEOGFROMTEXT('LINESTRING(-122.4194 37.7749, -118.2437 34.0522)'))"), 559121.4546640908);
    near(await one("SELECT ST_MAXDISTANCE(ST_GEOGPOINT(0, 0), ST_GEOGPOINT(1, 1))"), 157249.6280925079);
    expect(await one("SELECT ST_DISTANCE(ST_GEOGPOINT(0, 0), ST_GEOGFROMTEXT('POLYGON((-1 -1, 1 -1, 1 1, -1 1, -1 -1))'))")).toBe("0");
    expect(await one("SELECT ST_DISTANCE(ST_GEOGPOINT(0, 0), ST_GEOGFROMTEXT('GEOMETRYCOLLECTION EMPTY'))")).toBeNull();
  });

  test("point to edge distance is to the edge's interior", async () => {
    // The meridian edge at longitude 1 passes 1 degree from (0, 0) along the equator.
    near(await one("SELECT ST_DISTANCE(ST_GEOGPOINT(0, 0), ST_GEOGFROMTEXT('LINESTRING(1 -1, 1 1)'))"), (Math.PI / 180) * 6371010, 1e-9);
  });

  test("areas and perimeters (corpus)", async () => {
    near(await one("SELECT ST_AREA(ST_GEOGFROMTEXT('POLYGON((-74.05 40.70, -73.95 40.70, -73.95 40.80, -74.05 40.80, -74.05 40.70))'))"), 93667971.6248693, 1e-9);
    near(await one("SELECT ST_AREA(ST_GEOGFROMTEXT('POLYGON((-111 41, -104 41, -104 45, -111 45, -111 41))'))"), 253019996794.88388);
    near(await one("SELECT ST_AREA(ST_GEOGFROMTEXT('POLYGON((-125 25, -65 25, -65 50, -125 50, -125 25))'))"), 14376048775182.924);
    near(await one("SELECT ST_PERIMETER(ST_GEOGFROMTEXT('POLYGON((-125 25, -65 25, -65 50, -125 50, -125 25))'))"), 15721531.209685314);
    expect(await rows("SELECT ST_AREA(ST_GEOGPOINT(1, 1)), ST_LENGTH(ST_GEOGPOINT(1, 1)), ST_PERIMETER(ST_GEOGFROMTEXT('LINESTRING(0 0, 1 1)'))")).toEqual([["0", "0", "0"]]);
  });

  test("a hole is subtracted; an oriented polygon can be larger than a hemisphere", async () => {
    const shell = Number(await one("SELECT ST_AREA(ST_GEOGFROMTEXT('POLYGON((0 0, 10 0, 10 10, 0 10, 0 0))'))"));
    const hole = Number(await one("SELECT ST_AREA(ST_GEOGFROMTEXT('POLYGON((1 1, 2 1, 2 2, 1 2, 1 1))'))"));
    near(await one("SELECT ST_AREA(ST_GEOGFROMTEXT('POLYGON((0 0, 10 0, 10 10, 0 10, 0 0), (1 1, 1 2, 2 2, 2 1, 1 1))'))"), shell - hole, 1e-9);
    // ST_GEOGFROMTEXT's documented example: oriented => TRUE reads the clockwise square as the rest of the Earth.
    expect(
      await rows(`WITH polygon AS (SELECT 'POLYGON((0 0, 0 2, 2 2, 2 0, 0 0))' AS p)
        SELECT ST_CONTAINS(ST_GEOGFROMTEXT(p), ST_GEOGPOINT(1, 1)), ST_CONTAINS(ST_GEOGFROMTEXT(p, FALSE), ST_GEOGPOINT(1, 1)),
               ST_CONTAINS(ST_GEOGFROMTEXT(p, TRUE), ST_GEOGPOINT(1, 1)) FROM polygon`),
    ).toEqual([["true", "true", "false"]]);
  });

  test("centroids (corpus)", async () => {
    expect(await one("SELECT ST_ASTEXT(ST_CENTROID(ST_GEOGFROMTEXT('POLYGON((0 0, 4 0, 4 4, 0 4, 0 0))')))")).toBe("POINT(2.00000000000004 2.00040218892024)");
    expect(await one("SELECT ST_ASTEXT(ST_CENTROID(ST_GEOGFROMTEXT('MULTIPOINT(0 0, 0 0)')))")).toBe("POINT(0 0)");
  });
});

describe("predicates on closed point sets", () => {
  test("ST_CONTAINS and ST_COVERS: exterior, boundary vertex, interior (documented examples)", async () => {
    const r = await rows(`SELECT i, ST_CONTAINS(ST_GEOGFROMTEXT('POLYGON((1 1, 20 1, 10 20, 1 1))'), ST_GEOGPOINT(i, i)),
      ST_COVERS(ST_GEOGFROMTEXT('POLYGON((1 1, 20 1, 10 20, 1 1))'), ST_GEOGPOINT(i, i)) FROM UNNEST([0, 1, 10]) AS i ORDER BY i`);
    expect(r).toEqual([["0", "false", "false"], ["1", "false", "true"], ["10", "true", "true"]]);
  });

  test("a linestring in a polygon: covered; contained unless it runs along the boundary", async () => {
    const square = "ST_GEOGFROMTEXT('POLYGON((0 0, 4 0, 4 4, 0 4, 0 0))')";
    expect(
      await rows(`SELECT ST_CONTAINS(${square}, ST_GEOGFROMTEXT('LINESTRING(1 1, 2 2)')), ST_CONTAINS(${square}, ST_GEOGFROMTEXT('LINESTRING(0 0, 4 0)')),
        ST_COVERS(${square}, ST_GEOGFROMTEXT('LINESTRING(0 0, 4 0)')), ST_COVERS(${square}, ST_GEOGFROMTEXT('LINESTRING(1 1, 5 1)')),
        ST_INTERSECTS(${square}, ST_GEOGFROMTEXT('LINESTRING(1 1, 5 1)')), ST_INTERSECTS(${square}, ST_GEOGFROMTEXT('LINESTRING(5 5, 6 6)'))`),
    ).toEqual([["true", "false", "true", "false", "true", "false"]]);
  });

  test("intersects, disjoint, touches, within, equals (corpus)", async () => {
    const r = await rows(`SELECT
      ST_INTERSECTS(ST_GEOGFROMTEXT('LINESTRING(0 0, 2 2)'), ST_GEOGFROMTEXT('LINESTRING(0 2, 2 0)')),
      ST_INTERSECTS(ST_GEOGPOINT(0, 0), ST_GEOGPOINT(10, 10)),
      ST_DISJOINT(ST_GEOGFROMTEXT('POLYGON((0 0, 2 0, 2 2, 0 2, 0 0))'), ST_GEOGFROMTEXT('POLYGON((1 1, 3 1, 3 3, 1 3, 1 1))')),
      ST_TOUCHES(ST_GEOGFROMTEXT('POLYGON((0 0, 1 0, 1 1, 0 1, 0 0))'), ST_GEOGFROMTEXT('POLYGON((1 0, 2 0, 2 1, 1 1, 1 0))')),
      ST_TOUCHES(ST_GEOGPOINT(0, 0), ST_GEOGPOINT(2, 2)),
      ST_WITHIN(ST_GEOGPOINT(2, 2), ST_GEOGFROMTEXT('POLYGON((0 0, 4 0, 4 4, 0 4, 0 0))')),
      ST_EQUALS(ST_GEOGFROMTEXT('POINT(1 2)'), ST_GEOGFROMTEXT('POINT(1 2)')),
      ST_EQUALS(ST_GEOGFROMTEXT('POLYGON((0 0, 1 0, 1 1, 0 0))'), ST_GEOGFROMTEXT('POLYGON((1 1, 0 0, 1 0, 1 1))')),
      ST_EQUALS(ST_GEOGFROMTEXT('LINESTRING(0 0, 1 1)'), ST_GEOGFROMTEXT('LINESTRING(1 1, 0 0)')),
      ST_EQUALS(ST_GEOGFROMTEXT('LINESTRING(0 0, 1 1)'), ST_GEOGFROMTEXT('LINESTRING(5 5, 6 6)')),
      ST_DWITHIN(ST_GEOGPOINT(0, 0), ST_GEOGPOINT(0, 0.0001), 100),
      ST_DWITHIN(ST_GEOGPOINT(0, 0), ST_GEOGPOINT(0, 90), 100)`);
    expect(r).toEqual([["true", "false", "false", "true", "false", "true", "true", "true", "true", "false", "true", "false"]]);
  });

  test("ST_INTERSECTSBOX, across the antimeridian too (documented example)", async () => {
    const r = await rows(`SELECT ST_ASTEXT(p), ST_INTERSECTSBOX(p, -90, 0, 90, 20), ST_INTERSECTSBOX(p, 90, 0, -90, 20)
      FROM UNNEST([ST_GEOGPOINT(10, 10), ST_GEOGPOINT(170, 10), ST_GEOGPOINT(30, 30)]) p WITH OFFSET o ORDER BY o`);
    expect(r).toEqual([["POINT(10 10)", "true", "false"], ["POINT(170 10)", "false", "true"], ["POINT(30 30)", "false", "false"]]);
  });
});

describe("accessors and constructors", () => {
  test("ST_ISCLOSED (documented example), ST_ISRING, ST_NPOINTS", async () => {
    const r = await rows(`SELECT ST_ISCLOSED(g) FROM UNNEST([ST_GEOGFROMTEXT('POINT(5 0)'), ST_GEOGFROMTEXT('LINESTRING(0 1, 4 3, 2 6, 0 1)'),
      ST_GEOGFROMTEXT('LINESTRING(2 6, 1 3, 3 9)'), ST_GEOGFROMTEXT('GEOMETRYCOLLECTION(POINT(0 0), LINESTRING(1 2, 2 1))'),
      ST_GEOGFROMTEXT('GEOMETRYCOLLECTION EMPTY')]) g WITH OFFSET o ORDER BY o`);
    expect(r).toEqual([["true"], ["true"], ["false"], ["false"], ["false"]]);
    expect(
      await rows(`SELECT ST_ISRING(ST_GEOGFROMTEXT('LINESTRING(0 0, 1 0, 1 1, 0 1, 0 0)')), ST_ISRING(ST_GEOGFROMTEXT('LINESTRING(0 0, 1 1, 1 0, 0 1, 0 0)')),
        ST_NPOINTS(ST_GEOGFROMTEXT('POLYGON((0 0,4 0,4 4,0 4,0 0))')), ST_NUMPOINTS(ST_GEOGFROMTEXT('MULTIPOINT(0 0, 1 1, 2 2)'))`),
    ).toEqual([["true", "false", "5", "3"]]);
  });

  test("ST_POINTN, ST_STARTPOINT, ST_ENDPOINT (documented example), errors and SAFE.", async () => {
    expect(
      await rows(`SELECT ST_ASTEXT(ST_POINTN(ST_GEOGFROMTEXT('LINESTRING(1 2, 3 4, 5 6)'), 1)), ST_ASTEXT(ST_POINTN(ST_GEOGFROMTEXT('LINESTRING(1 2, 3 4, 5 6)'), -1)),
        ST_STARTPOINT(ST_GEOGFROMTEXT('LINESTRING(1 1, 2 1, 3 2, 3 3)')), ST_ENDPOINT(ST_GEOGFROMTEXT('LINESTRING(1 1, 2 1, 3 2, 3 3)')),
        SAFE.ST_POINTN(ST_GEOGFROMTEXT('LINESTRING(1 2, 3 4)'), 5), SAFE.ST_X(ST_GEOGFROMTEXT('LINESTRING(1 2, 3 4)'))`),
    ).toEqual([["POINT(1 2)", "POINT(5 6)", "POINT(1 1)", "POINT(3 3)", null, null]]);
    expect((await h.failure("SELECT ST_X(ST_GEOGFROMTEXT('LINESTRING(1 2, 3 4)'))")).message).toMatch(/single point/);
  });

  test("ST_MAKELINE, ST_MAKEPOLYGON, ST_MAKEPOLYGONORIENTED, ST_CLOSESTPOINT, ST_SNAPTOGRID", async () => {
    expect(
      await rows(`SELECT ST_MAKELINE(ST_GEOGPOINT(0, 0), ST_GEOGPOINT(1, 1)), ST_MAKELINE([ST_GEOGPOINT(0, 0), ST_GEOGFROMTEXT('LINESTRING(1 1, 2 1)')]),
        ST_MAKELINE([ST_GEOGPOINT(0, 0), NULL]),
        ST_MAKEPOLYGON(ST_GEOGFROMTEXT('LINESTRING(0 0, 0 2, 2 2, 2 0, 0 0)')),
        ST_MAKEPOLYGONORIENTED([ST_GEOGFROMTEXT('LINESTRING(0 0, 1 0, 1 1, 0 1, 0 0)')]),
        ST_ASTEXT(ST_CLOSESTPOINT(ST_GEOGPOINT(0, 0), ST_GEOGFROMTEXT('LINESTRING(1 0, 1 2)'))),
        ST_ASTEXT(ST_SNAPTOGRID(ST_GEOGPOINT(1.234, 5.678), 0.1))`),
    ).toEqual([["LINESTRING(0 0, 1 1)", "LINESTRING(0 0, 1 1, 2 1)", null, "POLYGON((2 0, 2 2, 0 2, 0 0, 2 0))", "POLYGON((0 0, 1 0, 1 1, 0 1, 0 0))", "POINT(0 0)", "POINT(1.2 5.7)"]]);
  });
});

describe("output formats", () => {
  test("ST_ASGEOJSON adds vertices so planar edges stay within 10 m (corpus, digit for digit)", async () => {
    expect(await one("SELECT ST_ASGEOJSON(ST_GEOGFROMTEXT('LINESTRING(0 0, 1 1, 2 2)'))")).toBe('{ "type": "LineString", "coordinates": [ [0, 0], [1, 1], [1.49988573656168, 1.5000570914792], [2, 2] ] } ');
    expect(await one("SELECT ST_ASGEOJSON(ST_GEOGFROMTEXT('MULTIPOLYGON(((0 0, 1 0, 1 1, 0 1, 0 0)), ((2 2, 3 2, 3 3, 2 3, 2 2)))'))")).toBe(
      '{ "type": "MultiPolygon", "coordinates": [ [ [ [0, 0], [1, 0], [1, 1], [0, 1], [0, 0] ] ], [ [ [2, 2], [3, 2], [3, 3], [2.5, 3.00011402647166], [2, 3], [2, 2] ] ] ] } ',
    );
    expect(await one("SELECT ST_ASGEOJSON(ST_GEOGFROMTEXT('GEOMETRYCOLLECTION(POINT(0 0), LINESTRING(1 1, 2 2))'))")).toBe(
      '{ "type": "GeometryCollection", "geometries": [ { "type": "Point", "coordinates": [0, 0] }, { "type": "LineString", "coordinates": [ [1, 1], [1.49988573656168, 1.5000570914792], [2, 2] ] } ] } ',
    );
  });
});

describe("refused plainly", () => {
  test("functions whose output comes from S2's builder (ST_BUFFER, ST_INTERSECTION, ...)", async () => {
    expect((await h.failure("SELECT ST_BUFFER(ST_GEOGPOINT(0, 0), 10)")).message).toMatch(/st_buffer/i);
    expect((await h.failure("SELECT ST_INTERSECTION(ST_GEOGPOINT(0, 0), ST_GEOGPOINT(0, 0))")).message).toMatch(/st_intersection/i);
  });

  test("what the normal form cannot settle: printing holes, overlapping collections", async () => {
    expect((await h.failure("SELECT ST_GEOGFROMTEXT('POLYGON((0 0, 10 0, 10 10, 0 10, 0 0), (1 1, 1 2, 2 2, 1 1))')")).message).toMatch(/does not support WKT of a polygon with holes/);
    expect((await h.failure("SELECT ST_GEOGFROMTEXT('GEOMETRYCOLLECTION(POINT(1 1), LINESTRING(1 1, 2 2))')")).message).toMatch(/does not support a collection/);
    // Not even under SAFE: a NULL would be a different answer.
    expect((await h.failure("SELECT SAFE.ST_GEOGFROMTEXT('GEOMETRYCOLLECTION(POINT(1 1), LINESTRING(1 1, 2 2))')")).message).toMatch(/does not support/);
  });

  test("a statement the compiler refuses for another reason cannot take a GEOGRAPHY (never a NULL in its place)", async () => {
    const param = { params: [{ name: "g", type: { type: "GEOGRAPHY" }, value: "POINT(0 0)" }] };
    expect((await h.failure("SELECT @g IS NULL AS n, PARSE_JSON('1') AS j", param)).message).toMatch(/does not support this statement/);
  });
});
