/**
 * Table contents encoded straight to protobuf wire format (TableContent of
 * local_service.proto, ValueProto cells), without building message objects:
 * the generic encoder spends most of a large query's time there. Two passes:
 * sizes first (pre-order), then bytes.
 */
import { invalid, unsupported } from "../errors";
import type { Row, Value } from "../model";
import { dateToDays, encodeDatetime, encodeTime, microsToTimestamp, timestampTextToMicros } from "./civil_time";
import { BIGNUMERIC_SCALE, NUMERIC_SCALE, encodeDecimal } from "./decimal_codec";
import { intervalOf, intervalToBytes } from "./interval_value";
import { rangeOf } from "./range_value";
import type { TypeProto } from "./types";

// ValueProto field numbers (zetasql/public/value.proto).
const F = {
  int64: 2,
  bool: 5,
  double: 7,
  string: 8,
  bytes: 9,
  date: 10,
  array: 13,
  struct: 14,
  timestamp: 16,
  datetime: 17,
  time: 18,
  numeric: 20,
  bignumeric: 21,
  json: 23,
  interval: 24,
  range: 26,
} as const;

const VARINT = 0;
const FIXED64 = 1;
const LEN = 2;

const varintSize = (v: bigint): number => {
  if (v < 0n) return 10;
  let n = 1;
  while (v >= 0x80n) {
    v >>= 7n;
    n++;
  }
  return n;
};
const uintSize = (v: number): number => (v < 0x80 ? 1 : v < 0x4000 ? 2 : v < 0x200000 ? 3 : v < 0x10000000 ? 4 : 5);
const lenFieldSize = (tag: number, len: number): number => uintSize(tag << 3) + uintSize(len) + len;

/** A scalar converted once: its wire form and size. */
type Scalar =
  | { kind: "varint"; field: number; value: bigint }
  | { kind: "double"; value: number }
  | { kind: "string"; field: number; value: string; bytes: number }
  | { kind: "buffer"; field: number; value: Buffer }
  | { kind: "pair"; field: number; a: bigint; b: number; size: number };

function scalar(text: string, kind: string, type?: TypeProto): Scalar {
  switch (kind) {
    case "TYPE_INTERVAL":
      return { kind: "buffer", field: F.interval, value: intervalToBytes(intervalOf(text)) };
    case "TYPE_RANGE":
      return { kind: "buffer", field: F.range, value: rangeMessage(text, type?.rangeType?.elementType.typeKind ?? "") };
    case "TYPE_STRING":
      return { kind: "string", field: F.string, value: text, bytes: Buffer.byteLength(text) };
    case "TYPE_JSON":
      return { kind: "string", field: F.json, value: text, bytes: Buffer.byteLength(text) };
    case "TYPE_BYTES":
      return { kind: "buffer", field: F.bytes, value: Buffer.from(text, "base64") };
    case "TYPE_INT64":
      if (!/^\s*[+-]?\d+\s*$/.test(text)) throw invalid(`Invalid INT64 value: ${text}`);
      return { kind: "varint", field: F.int64, value: BigInt.asIntN(64, BigInt(text.trim())) };
    case "TYPE_BOOL":
      return { kind: "varint", field: F.bool, value: text.trim().toLowerCase() === "true" ? 1n : 0n };
    case "TYPE_DOUBLE":
      return { kind: "double", value: Number(text) };
    case "TYPE_DATE":
      return { kind: "varint", field: F.date, value: BigInt(dateToDays(text)) };
    case "TYPE_TIME":
      return { kind: "varint", field: F.time, value: BigInt(encodeTime(text)) };
    case "TYPE_NUMERIC":
      return { kind: "buffer", field: F.numeric, value: encodeDecimal(text, NUMERIC_SCALE) };
    case "TYPE_BIGNUMERIC":
      return { kind: "buffer", field: F.bignumeric, value: encodeDecimal(text, BIGNUMERIC_SCALE) };
    case "TYPE_TIMESTAMP": {
      const ts = microsToTimestamp(timestampTextToMicros(text));
      return pair(F.timestamp, BigInt(ts.seconds), ts.nanos);
    }
    case "TYPE_DATETIME": {
      const dt = encodeDatetime(text);
      return pair(F.datetime, BigInt(dt.bitFieldDatetimeSeconds), dt.nanos);
    }
    default:
      throw unsupported(`The local engine cannot take ${kind.replace(/^TYPE_/, "")} values`);
  }
}

/** ValueProto.Range {start = 1, end = 2}: both always present, an unbounded one an empty (NULL) ValueProto. */
function rangeMessage(text: string, elementKind: string): Buffer {
  const bounds = rangeOf(text);
  const parts = [bounds.start, bounds.end].map((b) => (b === null ? undefined : scalar(b, elementKind)));
  const w = new Writer(parts.reduce((n, p) => n + lenFieldSize(1, p ? scalarSize(p) : 0), 0));
  parts.forEach((p, i) => {
    w.tag(i + 1, LEN);
    w.uint(p ? scalarSize(p) : 0);
    if (p) writeScalar(w, p);
  });
  return w.buf;
}

/** A {int64 seconds = 1; int32 nanos = 2} message; zero fields are omitted. */
function pair(field: number, a: bigint, b: number): Scalar {
  const size = (a !== 0n ? 1 + varintSize(a) : 0) + (b !== 0 ? 1 + varintSize(BigInt(b)) : 0);
  return { kind: "pair", field, a, b, size };
}

function scalarSize(s: Scalar): number {
  switch (s.kind) {
    case "varint":
      return uintSize(s.field << 3) + varintSize(s.value);
    case "double":
      return 1 + 8;
    case "string":
      return lenFieldSize(s.field, s.bytes);
    case "buffer":
      return lenFieldSize(s.field, s.value.length);
    case "pair":
      return lenFieldSize(s.field, s.size);
  }
}

class Writer {
  readonly buf: Buffer;
  pos = 0;
  constructor(size: number) {
    this.buf = Buffer.allocUnsafe(size);
  }
  uint(v: number): void {
    while (v >= 0x80) {
      this.buf[this.pos++] = (v & 0x7f) | 0x80;
      v = Math.floor(v / 128);
    }
    this.buf[this.pos++] = v;
  }
  varint(v: bigint): void {
    let u = BigInt.asUintN(64, v);
    while (u >= 0x80n) {
      this.buf[this.pos++] = Number(u & 0x7fn) | 0x80;
      u >>= 7n;
    }
    this.buf[this.pos++] = Number(u);
  }
  tag(field: number, wire: number): void {
    this.uint((field << 3) | wire);
  }
}

function writeScalar(w: Writer, s: Scalar): void {
  switch (s.kind) {
    case "varint":
      w.tag(s.field, VARINT);
      w.varint(s.value);
      break;
    case "double":
      w.tag(F.double, FIXED64);
      w.buf.writeDoubleLE(s.value, w.pos);
      w.pos += 8;
      break;
    case "string":
      w.tag(s.field, LEN);
      w.uint(s.bytes);
      w.pos += w.buf.write(s.value, w.pos, "utf8");
      break;
    case "buffer":
      w.tag(s.field, LEN);
      w.uint(s.value.length);
      s.value.copy(w.buf, w.pos);
      w.pos += s.value.length;
      break;
    case "pair":
      w.tag(s.field, LEN);
      w.uint(s.size);
      if (s.a !== 0n) {
        w.tag(1, VARINT);
        w.varint(s.a);
      }
      if (s.b !== 0) {
        w.tag(2, VARINT);
        w.varint(BigInt(s.b));
      }
      break;
  }
}

/**
 * Encodes `map<string, TableContent>` entries as field `fieldNumber` of the enclosing request,
 * ready to be appended to the rest of the serialised request.
 */
export function encodeTableContents(fieldNumber: number, tables: { name: string; types: TypeProto[]; rows: Row[] }[]): Buffer {
  // Pass 1: convert scalars and compute every length-delimited size, in pre-order.
  const sizes: number[] = [];
  const scalars: Scalar[] = [];
  const valueSize = (value: Value, type: TypeProto): number => {
    if (value === null) return 0;
    if (type.typeKind === "TYPE_ARRAY" || type.typeKind === "TYPE_STRUCT") {
      const slot = sizes.length;
      sizes.push(0);
      let inner = 0;
      if (!Array.isArray(value)) throw invalid(`Expected an array or record, got ${JSON.stringify(value)}`);
      if (type.typeKind === "TYPE_ARRAY") {
        const element = type.arrayType?.elementType as TypeProto;
        for (const v of value) inner += lenFieldSize(1, valueSize(v, element));
      } else {
        const fields = type.structType?.field ?? [];
        if (value.length !== fields.length) throw invalid(`Expected a record of ${fields.length} fields, got ${JSON.stringify(value)}`);
        fields.forEach((f, i) => (inner += lenFieldSize(1, valueSize(value[i], f.fieldType))));
      }
      sizes[slot] = inner;
      return lenFieldSize(type.typeKind === "TYPE_ARRAY" ? F.array : F.struct, inner);
    }
    if (typeof value !== "string") throw invalid(`Expected a scalar value, got ${JSON.stringify(value)}`);
    const s = scalar(value, type.typeKind, type);
    scalars.push(s);
    return scalarSize(s);
  };
  const entrySizes = tables.map((table) => {
    const rowSizes = table.rows.map((row) => {
      const slot = sizes.length;
      sizes.push(0);
      let size = 0;
      table.types.forEach((type, i) => (size += lenFieldSize(1, valueSize(row[i] ?? null, type))));
      sizes[slot] = size;
      return size;
    });
    const tableData = rowSizes.reduce((n, s) => n + lenFieldSize(1, s), 0);
    const content = lenFieldSize(1, tableData);
    const key = Buffer.byteLength(table.name);
    return { key, tableData, content, entry: lenFieldSize(1, key) + lenFieldSize(2, content) };
  });
  const total = entrySizes.reduce((n, e) => n + lenFieldSize(fieldNumber, e.entry), 0);

  // Pass 2: write.
  const w = new Writer(total);
  let sizeAt = 0;
  let scalarAt = 0;
  const writeValue = (value: Value, type: TypeProto): void => {
    if (value === null) return;
    if (type.typeKind === "TYPE_ARRAY" || type.typeKind === "TYPE_STRUCT") {
      const inner = sizes[sizeAt++];
      w.tag(type.typeKind === "TYPE_ARRAY" ? F.array : F.struct, LEN);
      w.uint(inner);
      const items = value as Value[];
      const itemType = (i: number): TypeProto =>
        type.typeKind === "TYPE_ARRAY" ? (type.arrayType?.elementType as TypeProto) : (type.structType?.field ?? [])[i].fieldType;
      items.forEach((v, i) => writeElement(v, itemType(i)));
      return;
    }
    writeScalar(w, scalars[scalarAt++]);
  };
  // An element of an array or struct, or a cell of a row: field 1 holding a ValueProto.
  const writeElement = (value: Value, type: TypeProto): void => {
    w.tag(1, LEN);
    w.uint(peekSize(value, type));
    writeValue(value, type);
  };
  // The size of the ValueProto about to be written (its own field), from what pass 1 recorded.
  const peekSize = (value: Value, type: TypeProto): number => {
    if (value === null) return 0;
    if (type.typeKind === "TYPE_ARRAY" || type.typeKind === "TYPE_STRUCT") {
      return lenFieldSize(type.typeKind === "TYPE_ARRAY" ? F.array : F.struct, sizes[sizeAt]);
    }
    return scalarSize(scalars[scalarAt]);
  };
  tables.forEach((table, t) => {
    const e = entrySizes[t];
    w.tag(fieldNumber, LEN);
    w.uint(e.entry);
    w.tag(1, LEN);
    w.uint(e.key);
    w.pos += w.buf.write(table.name, w.pos, "utf8");
    w.tag(2, LEN);
    w.uint(e.content);
    w.tag(1, LEN);
    w.uint(e.tableData);
    for (const row of table.rows) {
      w.tag(1, LEN);
      w.uint(sizes[sizeAt++]);
      table.types.forEach((type, i) => writeElement(row[i] ?? null, type));
    }
  });
  if (w.pos !== total) throw new Error(`content encoder wrote ${w.pos} bytes, expected ${total}`);
  return w.buf;
}
