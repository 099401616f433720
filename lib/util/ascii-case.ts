/**
 * SQLite matches names and keywords ignoring the case of ASCII letters only (sqlite3StrICmp),
 * while JavaScript's toLowerCase and toUpperCase fold all of Unicode: the Kelvin sign becomes
 * "k", the long s "S", the dotless i "I". Folding with those would make names SQLite keeps apart
 * one name here (a view over a protected table checked as another, a pragma SQLite does not know
 * allowed as one it does), and words SQLite reads as names keywords. HTTP methods and WebCrypto
 * algorithm names match the same way. Every comparison of SQL text, a method or an algorithm
 * name by case goes through these two.
 */
const NON_ASCII = /[^\x00-\x7F]/;

/** `text` with its ASCII letters in lower case, and nothing else changed. */
export function lowerAscii(text: string): string {
  if (!hasCodeIn(text, 0x41, 0x5a)) return text;
  return NON_ASCII.test(text) ? text.replace(/[A-Z]+/g, (letters) => letters.toLowerCase()) : text.toLowerCase();
}

/** `text` with its ASCII letters in upper case, and nothing else changed. */
export function upperAscii(text: string): string {
  if (!hasCodeIn(text, 0x61, 0x7a)) return text;
  return NON_ASCII.test(text) ? text.replace(/[a-z]+/g, (letters) => letters.toUpperCase()) : text.toUpperCase();
}

/**
 * Whether `text` has a character whose code is from `low` to `high`: a letter to fold. Text
 * already in the case asked for (a method, a header name, most keywords) is returned as it is,
 * without the regular expression and the call into V8's runtime that folding costs (its
 * `toUpperCase` leaves generated code): a stub.fetch() folds its method twice.
 */
function hasCodeIn(text: string, low: number, high: number): boolean {
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code >= low && code <= high) return true;
  }
  return false;
}
