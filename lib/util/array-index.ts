/** Whether a property key is an array index (a canonical integer below 2^32 - 1): V8 keeps such
 * keys apart from named ones, and the runtime treats them apart too (wildcards do not intercept
 * them; an error's copy drops them). */
export function isIndexKey(key: string): boolean {
  if (key.length === 0 || key.length > 10) return false;
  const first = key.charCodeAt(0);
  if (first < 0x30 || first > 0x39) return false;
  const n = Number(key);
  return Number.isInteger(n) && n >= 0 && n < 4294967295 && String(n) === key;
}
