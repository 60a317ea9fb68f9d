/**
 * JSON request bodies (D-6, D-25): parsed into values, never exceptions, and
 * refused when one object holds the same key twice.
 */
import { catalogue } from '../catalogue/index.ts';
import { type Result, fail, ok } from '../result/index.ts';

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_OBJECT = 0x7b;
const CLOSE_OBJECT = 0x7d;
const OPEN_ARRAY = 0x5b;
const CLOSE_ARRAY = 0x5d;
const COMMA = 0x2c;

/**
 * Whether valid JSON text has an object with the same key twice (D-25).
 * One linear pass; keys are compared decoded, so `"a"` and `"\u0061"` are
 * the same key, as every parser reads them.
 *
 * @internal
 */
export function hasDuplicateKey(json: string): boolean {
  const objects: (Set<string> | null)[] = [];
  let expectingKey = false;
  for (let i = 0; i < json.length; i++) {
    const c = json.charCodeAt(i);
    if (c === QUOTE) {
      let end = i + 1;
      let escaped = false;
      for (;;) {
        const d = json.charCodeAt(end);
        if (d === BACKSLASH) {
          escaped = true;
          end += 2;
        } else if (d === QUOTE || Number.isNaN(d)) break;
        else end++;
      }
      const keys = objects[objects.length - 1];
      if (expectingKey && keys) {
        const key = escaped ? (JSON.parse(json.slice(i, end + 1)) as string) : json.slice(i + 1, end);
        if (keys.has(key)) return true;
        keys.add(key);
        expectingKey = false;
      }
      i = end;
    } else if (c === OPEN_OBJECT) {
      objects.push(new Set());
      expectingKey = true;
    } else if (c === OPEN_ARRAY) {
      objects.push(null);
      expectingKey = false;
    } else if (c === CLOSE_OBJECT || c === CLOSE_ARRAY) {
      objects.pop();
      expectingKey = false;
    } else if (c === COMMA) {
      expectingKey = objects[objects.length - 1] instanceof Set;
    }
  }
  return false;
}

/**
 * Parses a request body as JSON. Unparseable text, and text in which one
 * object holds the same key twice (parsers disagree on which value wins,
 * D-25), are the `Invalid request body` entry (D-6), never an exception.
 */
export function parseJsonBody(text: string): Result<unknown> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return fail(catalogue.INVALID_BODY);
  }
  return hasDuplicateKey(text) ? fail(catalogue.INVALID_BODY) : ok(value);
}

/**
 * Whether a value is a plain JSON object (not null, not an array).
 *
 * @internal
 */
export function isJsonObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
