/**
 * GeoJSON and WKB. GeoJSON edges are planar, BigQuery's geodesic: ST_ASGEOJSON adds vertices so
 * that the planar edges stay within 10 m of the geodesic ones (documented), by S2's edge
 * tessellator (S2EdgeTessellator::AppendProjected on the plate carrée projection): an edge is
 * split at its geodesic midpoint while the error estimated at fractions t and 1 - t exceeds the
 * scaled tolerance. The corpus' ST_ASGEOJSON facts (the midpoints BigQuery adds, and the edges it
 * leaves alone) are reproduced digit for digit.
 */
import { s2 } from "s2js";
import { build, checkPrintable, EARTH_RADIUS_M, fromLngLat, GeographyError, GeographyUnsupported, isEmpty, toLngLat, type Geography, type Point } from "./geog";
import { g15, vertex } from "./wkt";

const T = 0.31215691082248315; // S2EdgeTessellator's kInterpolationFraction
const SCALE = 0.8382999256988851; // its kScaleFactor (0.83829992569888509, the same double)
const TOLERANCE_M = 10;
/** S1ChordAngle(kScaleFactor * tolerance): the squared chord length. */
const SCALED_TOLERANCE = (() => {
  const angle = Math.min(Math.PI, (SCALE * TOLERANCE_M) / EARTH_RADIUS_M);
  const chord = 2 * Math.sin(angle / 2);
  return chord * chord;
})();

/** S2::Interpolate(a, b, t): the point a fraction t along the geodesic from a to b. */
export function interpolate(a: Point, b: Point, t: number): Point {
  if (t === 0) return a;
  if (t === 1) return b;
  const angle = a.distance(b) * t;
  const dir = a.vector.cross(b.vector).cross(a.vector).normalize();
  const v = a.vector.mul(Math.cos(angle)).add(dir.mul(Math.sin(angle))).normalize();
  return new s2.Point(v.x, v.y, v.z);
}

const chord2 = (a: Point, b: Point): number => a.vector.sub(b.vector).norm2();
type R2 = [number, number];
const unproject = (p: R2): Point => fromLngLat(p[0], p[1]);
const lerp = (a: R2, b: R2, t: number): R2 => [(1 - t) * a[0] + t * b[0], (1 - t) * a[1] + t * b[1]];

function estimateMaxError(pa: R2, a: Point, pb: R2, b: Point): number {
  if (a.vector.dot(b.vector) < -1e-14) return Infinity;
  const m1 = interpolate(a, b, T);
  const m2 = interpolate(a, b, 1 - T);
  return Math.max(chord2(m1, unproject(lerp(pa, pb, T))), chord2(m2, unproject(lerp(pa, pb, 1 - T))));
}

function project(p: Point, from?: R2): R2 {
  const r = toLngLat(p);
  // Plate carrée's WrapDestination would carry a chain across the antimeridian past ±180.
  if (from && Math.abs(r[0] - from[0]) > 180) throw new GeographyUnsupported("GeoJSON output of an edge crossing the antimeridian");
  return r;
}

function appendProjected(pa: R2, a: Point, pb: R2, b: Point, out: R2[], depth = 0): void {
  if (depth > 60 || estimateMaxError(pa, a, pb, b) <= SCALED_TOLERANCE) {
    out.push(pb);
    return;
  }
  const m = a.vector.add(b.vector).normalize();
  const mid = new s2.Point(m.x, m.y, m.z);
  const pmid = project(mid, pa);
  appendProjected(pa, a, pmid, mid, out, depth + 1);
  appendProjected(pmid, mid, pb, b, out, depth + 1);
}

/** A chain of geodesic edges as planar vertices within 10 m. */
export function tessellate(chain: Point[]): R2[] {
  const out: R2[] = [project(chain[0])];
  for (let i = 1; i < chain.length; i++) appendProjected(out[out.length - 1], chain[i - 1], project(chain[i], out[out.length - 1]), chain[i], out);
  return out;
}

const position = (p: R2): string => `[${g15(p[0])}, ${g15(p[1])}]`;
const positions = (ps: R2[]): string => `[ ${ps.map(position).join(", ")} ]`;
const polygonCoordinates = (loops: Point[][]): string => {
  checkPrintable(loops, "ST_ASGEOJSON");
  return `[ ${positions(tessellate([...loops[0], loops[0][0]]))} ]`;
};

function parts(g: Geography): string[] {
  const out: string[] = [];
  const point = (p: Point): R2 => project(p);
  if (g.points.length === 1) out.push(`{ "type": "Point", "coordinates": ${position(point(g.points[0]))} }`);
  if (g.points.length > 1) out.push(`{ "type": "MultiPoint", "coordinates": ${positions(g.points.map(point))} }`);
  if (g.lines.length === 1) out.push(`{ "type": "LineString", "coordinates": ${positions(tessellate(g.lines[0]))} }`);
  if (g.lines.length > 1) out.push(`{ "type": "MultiLineString", "coordinates": [ ${g.lines.map((l) => positions(tessellate(l))).join(", ")} ] }`);
  if (g.polygons.length === 1) out.push(`{ "type": "Polygon", "coordinates": ${polygonCoordinates(g.polygons[0].loops)} }`);
  if (g.polygons.length > 1) out.push(`{ "type": "MultiPolygon", "coordinates": [ ${g.polygons.map((p) => polygonCoordinates(p.loops)).join(", ")} ] }`);
  return out;
}

/** ST_ASGEOJSON's text (BigQuery ends it with a space). */
export function toGeoJson(g: Geography): string {
  if (isEmpty(g)) throw new GeographyUnsupported("ST_ASGEOJSON of the empty geography");
  const p = parts(g);
  return `${p.length === 1 ? p[0] : `{ "type": "GeometryCollection", "geometries": [ ${p.join(", ")} ] }`} `;
}

/**
 * ST_GEOGFROMGEOJSON: points and multipoints (no edges to tessellate). Lines and polygons would
 * need the reverse tessellation (planar edges to geodesic ones), whose vertices BigQuery does not
 * document: refused.
 */
export function fromGeoJson(text: string): Geography {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new GeographyError("ST_GeogFromGeoJSON failed: the input is not valid JSON");
  }
  const points: Point[] = [];
  const positionOf = (c: unknown): Point => {
    if (!Array.isArray(c) || c.length !== 2 || !c.every((n) => typeof n === "number")) {
      throw new GeographyError("ST_GeogFromGeoJSON failed: a position must have exactly two numbers");
    }
    return vertex(c[0] as number, c[1] as number);
  };
  const visit = (geometry: unknown): void => {
    const o = geometry as { type?: unknown; coordinates?: unknown; geometries?: unknown } | null;
    switch (o?.type) {
      case "Point":
        points.push(positionOf(o.coordinates));
        return;
      case "MultiPoint":
        if (!Array.isArray(o.coordinates)) throw new GeographyError("ST_GeogFromGeoJSON failed: MultiPoint without coordinates");
        points.push(...o.coordinates.map(positionOf));
        return;
      case "GeometryCollection":
        if (!Array.isArray(o.geometries)) throw new GeographyError("ST_GeogFromGeoJSON failed: GeometryCollection without geometries");
        o.geometries.forEach(visit);
        return;
      case "LineString":
      case "MultiLineString":
      case "Polygon":
      case "MultiPolygon":
        throw new GeographyUnsupported(`ST_GEOGFROMGEOJSON of a ${o.type} (the vertices BigQuery adds to planar edges are not documented)`);
      default:
        throw new GeographyError(`ST_GeogFromGeoJSON failed: unsupported GeoJSON type ${JSON.stringify(o?.type ?? null)}`);
    }
  };
  visit(json);
  return build(points, [], [], false);
}

/** ST_ASBINARY: little-endian WKB of the coordinates BigQuery holds (the S2 points' lat/lng). */
export function toWkb(g: Geography): Buffer {
  if (isEmpty(g)) throw new GeographyUnsupported("ST_ASBINARY of the empty geography");
  const chunks: Buffer[] = [];
  const header = (type: number, count?: number): void => {
    const b = Buffer.alloc(count === undefined ? 5 : 9);
    b.writeUInt8(1, 0);
    b.writeUInt32LE(type, 1);
    if (count !== undefined) b.writeUInt32LE(count, 5);
    chunks.push(b);
  };
  const coords = (ps: Point[], withCount: boolean): void => {
    const b = Buffer.alloc((withCount ? 4 : 0) + 16 * ps.length);
    if (withCount) b.writeUInt32LE(ps.length, 0);
    ps.forEach((p, i) => {
      const [lng, lat] = toLngLat(p);
      b.writeDoubleLE(lng, (withCount ? 4 : 0) + 16 * i);
      b.writeDoubleLE(lat, (withCount ? 4 : 0) + 16 * i + 8);
    });
    chunks.push(b);
  };
  const point = (p: Point): void => {
    header(1);
    coords([p], false);
  };
  const line = (l: Point[]): void => {
    header(2);
    coords(l, true);
  };
  const polygon = (loops: Point[][]): void => {
    checkPrintable(loops, "ST_ASBINARY");
    header(3, loops.length);
    loops.forEach((l) => coords([...l, l[0]], true));
  };
  const groups = [g.points.length > 0, g.lines.length > 0, g.polygons.length > 0].filter(Boolean).length;
  if (groups > 1) header(7, groups);
  if (g.points.length === 1) point(g.points[0]);
  if (g.points.length > 1) {
    header(4, g.points.length);
    g.points.forEach(point);
  }
  if (g.lines.length === 1) line(g.lines[0]);
  if (g.lines.length > 1) {
    header(5, g.lines.length);
    g.lines.forEach(line);
  }
  if (g.polygons.length === 1) polygon(g.polygons[0].loops);
  if (g.polygons.length > 1) {
    header(6, g.polygons.length);
    g.polygons.forEach((p) => polygon(p.loops));
  }
  return Buffer.concat(chunks);
}

/** ST_GEOGFROMWKB: 2D WKB (either byte order) of any of the seven types; polygons non-oriented. */
export function fromWkb(bytes: Buffer): Geography {
  const points: Point[] = [];
  const lines: Point[][] = [];
  const polygons: Point[][][] = [];
  let at = 0;
  const fail = (detail: string): never => {
    throw new GeographyError(`ST_GeogFromWkb failed: Invalid WKB: ${detail}`);
  };
  const need = (n: number): void => {
    if (at + n > bytes.length) fail("unexpected end of input");
  };
  const read = (): void => {
    need(5);
    const little = bytes.readUInt8(at) === 1;
    if (bytes.readUInt8(at) > 1) fail("bad byte order");
    const type = little ? bytes.readUInt32LE(at + 1) : bytes.readUInt32BE(at + 1);
    at += 5;
    const u32 = (): number => {
      need(4);
      const v = little ? bytes.readUInt32LE(at) : bytes.readUInt32BE(at);
      at += 4;
      return v;
    };
    const f64 = (): number => {
      need(8);
      const v = little ? bytes.readDoubleLE(at) : bytes.readDoubleBE(at);
      at += 8;
      return v;
    };
    const xy = (): [number, number] => [f64(), f64()];
    const chainOf = (): Point[] => Array.from({ length: u32() }, () => {
      const [x, y] = xy();
      return vertex(x, y);
    });
    switch (type) {
      case 1: {
        const [x, y] = xy();
        // POINT EMPTY is NaN NaN in WKB.
        if (!(Number.isNaN(x) && Number.isNaN(y))) points.push(vertex(x, y));
        return;
      }
      case 2: {
        const l = chainOf();
        if (l.length > 0) lines.push(l);
        return;
      }
      case 3: {
        const rings = Array.from({ length: u32() }, chainOf);
        if (rings.length > 0) polygons.push(rings);
        return;
      }
      case 4:
      case 5:
      case 6:
      case 7: {
        const n = u32();
        for (let i = 0; i < n; i++) read();
        return;
      }
      default:
        fail(`unsupported geometry type ${type} (only 2D WKB is supported)`);
    }
  };
  read();
  if (at !== bytes.length) fail("trailing bytes");
  return build(points, lines, polygons, false);
}
