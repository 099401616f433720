/**
 * A Map's entries and a Set's values read as V8's serialiser reads them, by the object's internal
 * kind: through the built-in methods, not through the object's prototype, which code may have
 * replaced (a Map with a null prototype is still stored, sent and copied as a Map). Each is a
 * snapshot taken before anything inside runs, as V8 takes one.
 */
const entriesOfMap = Map.prototype.entries;
const valuesOfSet = Set.prototype.values;

export function mapEntries<K, V>(map: Map<K, V>): Array<[K, V]> {
  return Array.from(entriesOfMap.call(map) as IterableIterator<[K, V]>);
}

export function setValues<T>(set: Set<T>): T[] {
  return Array.from(valuesOfSet.call(set) as IterableIterator<T>);
}
