/**
 * GEOGRAPHY functions (ST_*): JavaScript scalar functions on every DuckDB connection (js_functions.ts
 * registers them), over the spherical code in geography/. A GEOGRAPHY flows through DuckDB as
 * VARCHAR holding its WKT (full precision; cells.ts prints BigQuery's text). Every function is
 * NULL on a NULL argument (an array with a NULL element included, as documented). Errors are
 * GoogleSQL's (SAFE. turns them into NULL through the gsql_safe_ twin); what geography/ cannot
 * reproduce exactly raises "The local BigQuery does not support ...", even under SAFE.
 *
 * Refused at compile time (absent here, so the reference evaluator reports them): ST_BUFFER,
 * ST_BUFFERWITHTOLERANCE, ST_INTERSECTION, ST_DIFFERENCE, ST_UNION, ST_CONVEXHULL, ST_SIMPLIFY,
 * ST_BOUNDARY and the aggregates: their vertices come out of S2's builder and buffer operations
 * (snapping, loop assembly order), which no document pins down.
 */
import {
  BIGINT,
  BLOB,
  BOOLEAN,
  DOUBLE,
  DuckDBBlobValue,
  DuckDBListValue,
  DuckDBScalarFunction,
  LIST,
  VARCHAR,
  type DuckDBType,
  type DuckDBValue,
} from "@duckdb/node-api";
import { type Call, type Form, kind } from "./call";
import { build, dimension, fromLngLat, GeographyError, GeographyUnsupported, isEmpty, normalPoints, samePoint, toLngLat, vertices, type Geography, type Point } from "./geography/geog";
import { fromGeoJson, fromWkb, toGeoJson, toWkb } from "./geography/formats";
import { area, centroid, closestPoint, distance, length, maxDistance, perimeter } from "./geography/measures";
import { contains, covers, equals, intersects, shapeOf, touches } from "./geography/relations";
import { parseWkt, readGeography, toWkt } from "./geography/wkt";
import type { Node } from "./resolved_ast";
import { refuse } from "./unsupported";
import { s2 } from "s2js";

type Arg = string | number | bigint | boolean | Buffer | Arg[];
type Result = string | number | bigint | boolean | Buffer | null;

interface JsFunction {
  params: DuckDBType[];
  returns: DuckDBType;
  run: (args: Arg[]) => Result;
}

const GEO = VARCHAR;
const geo = (a: Arg): Geography => readGeography(a as string);
const out = (g: Geography): string => toWkt(g, true);
const point = (p: Point): Geography => ({ points: [p], lines: [], polygons: [] });

function singlePoint(g: Geography, fn: string): Point {
  if (g.points.length !== 1 || g.lines.length > 0 || g.polygons.length > 0) throw new GeographyError(`${fn} only accepts a single point`);
  return g.points[0];
}

function singleLine(g: Geography, fn: string): Point[] {
  if (g.lines.length !== 1 || g.points.length > 0 || g.polygons.length > 0) throw new GeographyError(`${fn} only accepts a linestring`);
  return g.lines[0];
}

const geometryType = (g: Geography): string => {
  const kinds = [g.points.length, g.lines.length, g.polygons.length];
  if (kinds.filter((n) => n > 0).length !== 1) return "ST_GeometryCollection";
  if (g.points.length > 0) return g.points.length === 1 ? "ST_Point" : "ST_MultiPoint";
  if (g.lines.length > 0) return g.lines.length === 1 ? "ST_LineString" : "ST_MultiLineString";
  return g.polygons.length === 1 ? "ST_Polygon" : "ST_MultiPolygon";
};

/** A linestring that passes through no point twice (its ends may meet). */
function isSimple(line: Point[]): boolean {
  const closed = samePoint(line[0], line[line.length - 1]);
  const body = closed ? line.slice(0, -1) : line;
  if (normalPoints(body).length !== body.length) return false;
  const n = line.length - 1;
  for (let i = 0; i < n; i++) {
    for (let j = i + 2; j < n; j++) {
      if (closed && i === 0 && j === n - 1) continue;
      if (new s2.Polyline([line[i], line[i + 1]]).intersects(new s2.Polyline([line[j], line[j + 1]]))) return false;
    }
  }
  return true;
}

/** ST_MAKELINE's inputs: points or linestrings, concatenated. */
function makeLine(parts: Geography[]): string {
  const chain: Point[] = [];
  for (const g of parts) {
    if (isEmpty(g)) continue;
    const vs = g.points.length === 1 && g.lines.length === 0 && g.polygons.length === 0 ? g.points : g.lines.length === 1 && g.points.length === 0 && g.polygons.length === 0 ? g.lines[0] : undefined;
    if (!vs) throw new GeographyError("ST_MakeLine: each input must be a single point or a single linestring");
    chain.push(...vs);
  }
  checkNoSnapping(chain);
  return out(build([], [chain], [], false));
}

/** BigQuery snaps nearby vertices together when it builds lines and polygons; far apart, snapping changes nothing. */
function checkNoSnapping(chain: Point[]): void {
  for (let i = 1; i < chain.length; i++) {
    if (!samePoint(chain[i - 1], chain[i]) && chain[i - 1].distance(chain[i]) < 1e-9) throw new GeographyUnsupported("vertices closer than BigQuery's snap radius");
  }
}

function ringsOf(lines: Geography[], fn: string): Point[][] {
  return lines.map((g) => {
    if (isEmpty(g)) throw new GeographyUnsupported(`${fn} of an empty geography (a full polygon)`);
    const line = singleLine(g, fn);
    checkNoSnapping(line);
    return samePoint(line[0], line[line.length - 1]) ? line : [...line, line[0]];
  });
}

const FUNCTIONS_JS: Record<string, JsFunction> = {
  st_geogpoint: {
    params: [DOUBLE, DOUBLE],
    returns: GEO,
    run: ([lng, lat]) => {
      const [x, y] = [lng as number, lat as number];
      if (!Number.isFinite(x) || !Number.isFinite(y)) throw new GeographyError("ST_GeogPoint: longitude and latitude must be finite");
      if (y < -90 || y > 90) throw new GeographyError(`Latitude must be between -90 and 90 degrees: ${y}`);
      // Longitudes wrap (modulo 360): the S2 point is the same.
      return out(point(fromLngLat(x, y)));
    },
  },
  st_geogfromtext: { params: [VARCHAR, BOOLEAN], returns: GEO, run: ([text, oriented]) => out(parseWkt(text as string, oriented as boolean)) },
  st_geogfromwkb: { params: [BLOB], returns: GEO, run: ([bytes]) => out(fromWkb(bytes as Buffer)) },
  st_geogfromwkb_hex: {
    params: [VARCHAR],
    returns: GEO,
    run: ([hex]) => {
      if (!/^(?:[0-9a-fA-F]{2})*$/.test(hex as string)) throw new GeographyError("ST_GeogFromWkb failed: the input is not hexadecimal WKB");
      return out(fromWkb(Buffer.from(hex as string, "hex")));
    },
  },
  st_geogfromgeojson: { params: [VARCHAR], returns: GEO, run: ([text]) => out(fromGeoJson(text as string)) },
  // ST_GEOGFROM(STRING): WKT, hexadecimal WKB or GeoJSON, told apart by their first character.
  st_geogfrom: {
    params: [VARCHAR],
    returns: GEO,
    run: ([text]) => {
      const t = (text as string).trim();
      if (t.startsWith("{")) return out(fromGeoJson(t));
      if (/^[0-9a-fA-F]+$/.test(t)) return out(fromWkb(Buffer.from(t, "hex")));
      return out(parseWkt(t));
    },
  },
  st_astext: { params: [GEO], returns: VARCHAR, run: ([g]) => toWkt(geo(g)) },
  st_asbinary: { params: [GEO], returns: BLOB, run: ([g]) => toWkb(geo(g)) },
  st_asgeojson: { params: [GEO], returns: VARCHAR, run: ([g]) => toGeoJson(geo(g)) },
  st_geometrytype: { params: [GEO], returns: VARCHAR, run: ([g]) => geometryType(geo(g)) },
  st_dimension: { params: [GEO], returns: BIGINT, run: ([g]) => BigInt(dimension(geo(g))) },
  st_isempty: { params: [GEO], returns: BOOLEAN, run: ([g]) => isEmpty(geo(g)) },
  st_iscollection: {
    params: [GEO],
    returns: BOOLEAN,
    run: ([g]) => {
      const x = geo(g);
      return x.points.length + x.lines.length + x.polygons.length > 1;
    },
  },
  st_isclosed: {
    params: [GEO],
    returns: BOOLEAN,
    // Polygons are closed only when full, which no geography here is.
    run: ([g]) => {
      const x = geo(g);
      return !isEmpty(x) && x.polygons.length === 0 && x.lines.every((l) => samePoint(l[0], l[l.length - 1]));
    },
  },
  st_isring: {
    params: [GEO],
    returns: BOOLEAN,
    run: ([g]) => {
      const x = geo(g);
      if (x.lines.length !== 1 || x.points.length > 0 || x.polygons.length > 0) return false;
      const line = x.lines[0];
      return samePoint(line[0], line[line.length - 1]) && isSimple(line);
    },
  },
  st_numpoints: { params: [GEO], returns: BIGINT, run: ([g]) => BigInt(vertices(geo(g)).length) },
  st_numgeometries: {
    params: [GEO],
    returns: BIGINT,
    run: ([g]) => {
      const x = geo(g);
      return BigInt(x.points.length + x.lines.length + x.polygons.length);
    },
  },
  st_x: { params: [GEO], returns: DOUBLE, run: ([g]) => toLngLat(singlePoint(geo(g), "ST_X"))[0] },
  st_y: { params: [GEO], returns: DOUBLE, run: ([g]) => toLngLat(singlePoint(geo(g), "ST_Y"))[1] },
  st_pointn: {
    params: [GEO, BIGINT],
    returns: GEO,
    run: ([g, n]) => {
      const line = singleLine(geo(g), "ST_PointN");
      const i = Number(n as bigint);
      const index = i > 0 ? i - 1 : line.length + i;
      if (i === 0 || index < 0 || index >= line.length) throw new GeographyError(`ST_PointN: index ${i} is out of range`);
      return out(point(line[index]));
    },
  },
  st_startpoint: { params: [GEO], returns: GEO, run: ([g]) => out(point(singleLine(geo(g), "ST_StartPoint")[0])) },
  st_endpoint: {
    params: [GEO],
    returns: GEO,
    run: ([g]) => {
      const line = singleLine(geo(g), "ST_EndPoint");
      return out(point(line[line.length - 1]));
    },
  },
  st_distance: { params: [GEO, GEO], returns: DOUBLE, run: ([a, b]) => distance(shapeOf(geo(a)), shapeOf(geo(b))) ?? null },
  st_maxdistance: { params: [GEO, GEO], returns: DOUBLE, run: ([a, b]) => maxDistance(geo(a), geo(b)) ?? null },
  st_dwithin: {
    params: [GEO, GEO, DOUBLE],
    returns: BOOLEAN,
    run: ([a, b, d]) => {
      const meters = distance(shapeOf(geo(a)), shapeOf(geo(b)));
      return meters !== undefined && meters <= (d as number);
    },
  },
  st_length: { params: [GEO], returns: DOUBLE, run: ([g]) => length(geo(g)) },
  st_perimeter: { params: [GEO], returns: DOUBLE, run: ([g]) => perimeter(geo(g)) },
  st_area: { params: [GEO], returns: DOUBLE, run: ([g]) => area(shapeOf(geo(g))) },
  st_intersects: { params: [GEO, GEO], returns: BOOLEAN, run: ([a, b]) => intersects(shapeOf(geo(a)), shapeOf(geo(b))) },
  st_disjoint: { params: [GEO, GEO], returns: BOOLEAN, run: ([a, b]) => !intersects(shapeOf(geo(a)), shapeOf(geo(b))) },
  st_covers: { params: [GEO, GEO], returns: BOOLEAN, run: ([a, b]) => covers(shapeOf(geo(a)), shapeOf(geo(b))) },
  st_coveredby: { params: [GEO, GEO], returns: BOOLEAN, run: ([a, b]) => covers(shapeOf(geo(b)), shapeOf(geo(a))) },
  st_contains: { params: [GEO, GEO], returns: BOOLEAN, run: ([a, b]) => contains(shapeOf(geo(a)), shapeOf(geo(b))) },
  st_within: { params: [GEO, GEO], returns: BOOLEAN, run: ([a, b]) => contains(shapeOf(geo(b)), shapeOf(geo(a))) },
  st_equals: { params: [GEO, GEO], returns: BOOLEAN, run: ([a, b]) => equals(shapeOf(geo(a)), shapeOf(geo(b))) },
  st_touches: { params: [GEO, GEO], returns: BOOLEAN, run: ([a, b]) => touches(shapeOf(geo(a)), shapeOf(geo(b))) },
  st_intersectsbox: {
    params: [GEO, DOUBLE, DOUBLE, DOUBLE, DOUBLE],
    returns: BOOLEAN,
    run: ([g, lng1, lat1, lng2, lat2]) => intersectsBox(geo(g), lng1 as number, lat1 as number, lng2 as number, lat2 as number),
  },
  st_centroid: {
    params: [GEO],
    returns: GEO,
    run: ([g]) => {
      const c = centroid(shapeOf(geo(g)));
      return out(c ? point(c) : { points: [], lines: [], polygons: [] });
    },
  },
  st_closestpoint: {
    params: [GEO, GEO],
    returns: GEO,
    run: ([a, b]) => {
      const p = closestPoint(shapeOf(geo(a)), shapeOf(geo(b)));
      return p ? out(point(p)) : null;
    },
  },
  st_snaptogrid: { params: [GEO, DOUBLE], returns: GEO, run: ([g, size]) => out(snapToGrid(geo(g), size as number)) },
  st_makeline: { params: [GEO, GEO], returns: GEO, run: ([a, b]) => makeLine([geo(a), geo(b)]) },
  st_makeline_array: { params: [LIST(GEO)], returns: GEO, run: ([list]) => makeLine((list as Arg[]).map(geo)) },
  st_makepolygon: { params: [GEO], returns: GEO, run: ([shell]) => out(build([], [], [ringsOf([geo(shell)], "ST_MakePolygon")], false)) },
  st_makepolygon_holes: {
    params: [GEO, LIST(GEO)],
    returns: GEO,
    run: ([shell, holes]) => out(build([], [], [ringsOf([geo(shell), ...(holes as Arg[]).map(geo)], "ST_MakePolygon")], false)),
  },
  st_makepolygonoriented: {
    params: [LIST(GEO)],
    returns: GEO,
    run: ([rings]) => {
      const list = (rings as Arg[]).map(geo);
      if (list.length === 0) throw new GeographyUnsupported("ST_MAKEPOLYGONORIENTED of no rings (a full polygon)");
      return out(build([], [], [ringsOf(list, "ST_MakePolygonOriented")], true));
    },
  },
};

/** ST_INTERSECTSBOX: exact for points; a line or polygon with no vertex in the box is refused (its edges may cross it). */
function intersectsBox(g: Geography, lng1: number, lat1: number, lng2: number, lat2: number): boolean {
  if (![lng1, lat1, lng2, lat2].every(Number.isFinite)) throw new GeographyError("ST_IntersectsBox: arguments must be finite");
  if (lat1 < -90 || lat2 > 90 || lat1 > lat2) throw new GeographyError("ST_IntersectsBox: latitudes must be in [-90, 90], lat1 <= lat2");
  const inBox = (p: Point): boolean => {
    const [lng, lat] = toLngLat(p);
    if (lat < lat1 || lat > lat2) return false;
    // lng1 > lng2: the box crosses the antimeridian (the documented example's box2).
    return lng1 <= lng2 ? lng >= lng1 && lng <= lng2 : lng >= lng1 || lng <= lng2;
  };
  const all = vertices(g);
  if (all.some(inBox)) return true;
  if (g.lines.length > 0 || g.polygons.length > 0) throw new GeographyUnsupported("ST_INTERSECTSBOX of a linestring or polygon with no vertex in the box");
  return false;
}

/** ST_SNAPTOGRID of points, with a grid of 10^n degrees (S2's IntLatLngSnapFunction). */
function snapToGrid(g: Geography, size: number): Geography {
  const exponent = -Math.log10(size);
  if (!Number.isInteger(exponent) || exponent < 1 || exponent > 9) throw new GeographyUnsupported("ST_SNAPTOGRID with a grid size other than 10^n degrees, -10 < n < 0");
  if (g.lines.length > 0 || g.polygons.length > 0) throw new GeographyUnsupported("ST_SNAPTOGRID of linestrings or polygons");
  const scale = 10 ** exponent;
  const round = (x: number): number => Math.sign(x) * Math.round(Math.abs(x) * scale);
  return build(
    g.points.map((p) => {
      const [lng, lat] = toLngLat(p);
      return fromLngLat(round(lng) * (1 / scale), round(lat) * (1 / scale));
    }),
    [],
    [],
    false,
  );
}

function valueOf(item: DuckDBValue): Arg | null {
  if (item === null) return null;
  if (item instanceof DuckDBBlobValue) return Buffer.from(item.bytes);
  if (item instanceof DuckDBListValue) {
    const items = item.items.map(valueOf);
    return items.some((i) => i === null) ? null : (items as Arg[]);
  }
  return item as Arg;
}

/** Both variants of one function: the raising one, and SAFE.'s, where GoogleSQL's errors are NULL. */
function scalarFunction(name: string, f: JsFunction, safe: boolean): DuckDBScalarFunction {
  return DuckDBScalarFunction.create({
    name: safe ? `gsql_safe_${name}` : `gsql_${name}`,
    returnType: f.returns,
    parameterTypes: f.params,
    specialHandling: true,
    mainFunction: (info, input, output) => {
      const columns = f.params.map((_, i) => input.getColumnVector(i));
      for (let row = 0; row < input.rowCount; row++) {
        const args = columns.map((c) => valueOf(c.getItem(row)));
        let result: Result = null;
        if (!args.some((a) => a === null)) {
          try {
            result = f.run(args as Arg[]);
          } catch (error) {
            if (safe && error instanceof GeographyError) result = null;
            else {
              // DuckDB raises it as an "Invalid Input Error": the user's error, as BigQuery's.
              info.setError(error instanceof Error ? error.message : String(error));
              return;
            }
          }
        }
        output.setItem(row, Buffer.isBuffer(result) ? new DuckDBBlobValue(result) : (result as Exclude<Result, Buffer>));
      }
      output.flush();
    },
  });
}

export function geographyFunctions(): DuckDBScalarFunction[] {
  return Object.entries(FUNCTIONS_JS).flatMap(([name, f]) => [scalarFunction(name, f, false), scalarFunction(name, f, true)]);
}

/**
 * A GEOGRAPHY cell as BigQuery prints it (the stored text keeps every bit). Text that is no valid
 * WKT (written by an earlier version, say) reads back as it is; a refusal (holes) still raises.
 */
export function geographyText(stored: string): string {
  try {
    return toWkt(readGeography(stored));
  } catch (error) {
    if (error instanceof GeographyError) return stored;
    throw error;
  }
}

/** SAFE.ST_*: the outer call's gsql_safe_ twin (its arguments keep raising). */
export function safeGeography(sql: string): string {
  return /^gsql_st_\w+\(/.test(sql) ? sql.replace(/^gsql_/, "gsql_safe_") : refuse("SAFE. of this geography function");
}

/** A BOOL literal's value, else undefined. */
function boolLiteral(node: Node | undefined): boolean | undefined {
  if (!node || node.kind !== "Literal") return undefined;
  const value = (node.value as { value?: { boolValue?: boolean; value?: string } } | undefined)?.value;
  return value?.value === "boolValue" || value?.boolValue !== undefined ? value?.boolValue === true : undefined;
}

/** Optional trailing flags (use_spheroid, planar, make_valid) supported only as FALSE. */
function onlyFalse(call: Call, from: number, what: string): void {
  for (let i = from; i < call.nodes.length; i++) {
    if (boolLiteral(call.nodes[i]) !== false) refuse(`${what} other than a literal FALSE`);
  }
}

const fn =
  (name: string, arity: number, flags?: string): Form =>
  (call) => {
    if (call.args.length < arity) return refuse(`${name} with ${call.args.length} arguments`);
    if (flags) onlyFalse(call, arity, flags);
    else if (call.args.length > arity) return refuse(`${name} with ${call.args.length} arguments`);
    return `gsql_${name}(${call.args.slice(0, arity).join(", ")})`;
  };

export const GEOGRAPHY_FUNCTIONS: Record<string, Form> = {
  st_geogpoint: fn("st_geogpoint", 2),
  st_geogfromtext: (call) => {
    // ST_GEOGFROMTEXT(wkt[, oriented][, planar][, make_valid]): planar and make_valid only as FALSE.
    onlyFalse(call, 2, "ST_GEOGFROMTEXT's planar or make_valid");
    return `gsql_st_geogfromtext(${call.args[0]}, ${call.args[1] ?? "FALSE"})`;
  },
  st_geogfromwkb: (call) => {
    onlyFalse(call, 1, "ST_GEOGFROMWKB's options");
    return kind(call.types[0]) === "TYPE_BYTES" ? `gsql_st_geogfromwkb(${call.args[0]})` : `gsql_st_geogfromwkb_hex(${call.args[0]})`;
  },
  st_geogfromgeojson: fn("st_geogfromgeojson", 1, "ST_GEOGFROMGEOJSON's make_valid"),
  st_geogfrom: (call) => (kind(call.types[0]) === "TYPE_BYTES" ? `gsql_st_geogfromwkb(${call.args[0]})` : fn("st_geogfrom", 1)(call)),
  st_astext: fn("st_astext", 1),
  st_asbinary: fn("st_asbinary", 1),
  st_asgeojson: fn("st_asgeojson", 1),
  st_geometrytype: fn("st_geometrytype", 1),
  st_dimension: fn("st_dimension", 1),
  st_isempty: fn("st_isempty", 1),
  st_iscollection: fn("st_iscollection", 1),
  st_isclosed: fn("st_isclosed", 1),
  st_isring: fn("st_isring", 1),
  st_npoints: fn("st_numpoints", 1),
  st_numpoints: fn("st_numpoints", 1),
  st_numgeometries: fn("st_numgeometries", 1),
  st_x: fn("st_x", 1),
  st_y: fn("st_y", 1),
  st_pointn: fn("st_pointn", 2),
  st_startpoint: fn("st_startpoint", 1),
  st_endpoint: fn("st_endpoint", 1),
  st_distance: fn("st_distance", 2, "ST_DISTANCE's use_spheroid"),
  st_maxdistance: fn("st_maxdistance", 2, "ST_MAXDISTANCE's use_spheroid"),
  st_dwithin: fn("st_dwithin", 3, "ST_DWITHIN's use_spheroid"),
  st_length: fn("st_length", 1, "ST_LENGTH's use_spheroid"),
  st_perimeter: fn("st_perimeter", 1, "ST_PERIMETER's use_spheroid"),
  st_area: fn("st_area", 1, "ST_AREA's use_spheroid"),
  st_intersects: fn("st_intersects", 2),
  st_disjoint: fn("st_disjoint", 2),
  st_covers: fn("st_covers", 2),
  st_coveredby: fn("st_coveredby", 2),
  st_contains: fn("st_contains", 2),
  st_within: fn("st_within", 2),
  st_equals: fn("st_equals", 2),
  st_touches: fn("st_touches", 2),
  st_intersectsbox: fn("st_intersectsbox", 5),
  st_centroid: fn("st_centroid", 1),
  st_closestpoint: fn("st_closestpoint", 2, "ST_CLOSESTPOINT's use_spheroid"),
  st_snaptogrid: fn("st_snaptogrid", 2),
  st_makeline: (call) => (kind(call.types[0]) === "TYPE_ARRAY" ? `gsql_st_makeline_array(${call.args[0]})` : fn("st_makeline", 2)(call)),
  st_makepolygon: (call) => (call.args.length === 2 ? `gsql_st_makepolygon_holes(${call.args[0]}, ${call.args[1]})` : fn("st_makepolygon", 1)(call)),
  st_makepolygonoriented: fn("st_makepolygonoriented", 1),
};
