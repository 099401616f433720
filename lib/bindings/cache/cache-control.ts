/**
 * Cache-Control directives as Miniflare's cache reads them: split at commas, each directive's
 * name (case kept, so `MAX-AGE` is not `max-age`) maps to its value with surrounding quotes
 * dropped, or to `true` when it has none; a later directive of a name wins. Only the text up to
 * a directive's second `=` counts.
 */
export type Directives = Readonly<Record<string, string | true>>;

export function parseDirectives(header: string | undefined): Directives {
  const directives: Record<string, string | true> = Object.create(null);
  if (header === undefined || header === "") return directives;
  for (const part of header.trim().split(",")) {
    const [name, value] = part.split("=", 2) as [string, string | undefined];
    directives[name.trim()] = value === undefined ? true : value.trim().replace(/^"|"$/g, "");
  }
  return directives;
}

/** A header's seconds (a directive or `Age`): its leading integer, 0 when there is none. */
export function secondsOf(value: string | true | undefined): number {
  const n = parseInt(value as string, 10);
  return Number.isFinite(n) ? n : 0;
}
