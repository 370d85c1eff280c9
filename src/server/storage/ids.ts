/**
 * Row ids are UUIDv7 strings (RFC 9562): portable text in both dialects, and time-ordered, so
 * "newest first" and keyset pagination can order by the primary key alone instead of by a
 * timestamp plus a tie-breaker.
 */
import { randomBytes } from 'node:crypto';

let lastMs = 0;
let counter = 0;

/**
 * A new UUIDv7. Ids made by this process are strictly increasing: within one millisecond the
 * 12-bit rand_a field is a counter (RFC 9562 method 1), and when it runs out the timestamp is
 * advanced by one ms rather than wrapping, so order never goes backwards.
 */
export function newId(nowMs: number = Date.now()): string {
  if (nowMs > lastMs) {
    lastMs = nowMs;
    // Start low in the counter space so a burst in one ms has room before it spills over.
    counter = randomBytes(2).readUInt16BE(0) & 0x3ff;
  } else {
    counter++;
    if (counter > 0xfff) {
      lastMs++;
      counter = 0;
    }
  }
  const bytes = randomBytes(16);
  bytes.writeUIntBE(lastMs, 0, 6);
  bytes[6] = 0x70 | (counter >> 8);
  bytes[7] = counter & 0xff;
  bytes[8] = 0x80 | (bytes[8]! & 0x3f);
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** Ids come from URLs and tokens; checking the shape first turns garbage into "not found" cheaply. */
export function isId(value: string): boolean {
  return UUID.test(value);
}
