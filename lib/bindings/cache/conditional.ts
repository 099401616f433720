/**
 * Whether a match() carrying validators answers 304 Not Modified: If-None-Match naming the
 * stored ETag (weak or strong alike, `*` for any) or If-Modified-Since at or after the stored
 * Last-Modified. Dates count only in the exact IMF-fixdate form, as Miniflare's cache reads them.
 */
const ETAG = /^(W\/)?"(.+)"$/;
const IMF_FIXDATE = /^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d\d (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d\d\d\d \d\d:\d\d:\d\d GMT$/;

export function notModified(request: Headers, stored: Headers): boolean {
  const ifNoneMatch = request.get("if-none-match");
  const etagHeader = stored.get("etag");
  if (ifNoneMatch !== null && etagHeader !== null) {
    const etag = opaqueTag(etagHeader);
    if (etag !== undefined) {
      if (ifNoneMatch.trim() === "*") return true;
      if (ifNoneMatch.split(",").some((candidate) => opaqueTag(candidate) === etag)) return true;
    }
  }
  const ifModifiedSince = request.get("if-modified-since");
  const lastModified = stored.get("last-modified");
  if (ifModifiedSince === null || lastModified === null) return false;
  return fixdate(lastModified) <= fixdate(ifModifiedSince);
}

function opaqueTag(value: string): string | undefined {
  return ETAG.exec(value.trim())?.[2];
}

/** NaN for any other form, so every comparison with it fails. */
function fixdate(value: string): number {
  return IMF_FIXDATE.test(value) ? Date.parse(value) : NaN;
}
