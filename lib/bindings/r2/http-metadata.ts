import { asDecodedFromWtf8 } from "../../util/utf8.js";
import { fieldTypeError, isDictionary, toDateMs } from "../shared/webidl.js";
import { isOf } from "../../util/host-kind.js";

/**
 * An object's HTTP metadata: given as an object or as Headers (Content-Type,
 * Content-Language, Content-Disposition, Content-Encoding, Cache-Control, Expires), read back
 * as an object with all six fields (undefined when unset), and written onto Headers by
 * writeHttpMetadata(). An Expires header that is not a date reads back as the epoch. A lone
 * surrogate in a field reads back as three U+FFFD (the runtime sends strings as WTF-8).
 */
export interface HttpMetadata {
  contentType?: string;
  contentLanguage?: string;
  contentDisposition?: string;
  contentEncoding?: string;
  cacheControl?: string;
  /** Epoch milliseconds. */
  cacheExpiry?: number;
}

const TEXT_FIELDS = [
  ["contentType", "content-type"],
  ["contentLanguage", "content-language"],
  ["contentDisposition", "content-disposition"],
  ["contentEncoding", "content-encoding"],
  ["cacheControl", "cache-control"],
] as const;

export function convertHttpMetadata(value: unknown, dictionary: string): HttpMetadata {
  if (value === undefined || value === null) return {};
  const out: HttpMetadata = {};
  if (typeof value === "object" && isOf(value, Headers)) {
    for (const [field, header] of TEXT_FIELDS) {
      const text = value.get(header);
      if (text !== null) out[field] = text;
    }
    const expires = value.get("expires");
    if (expires !== null) out.cacheExpiry = Date.parse(expires) || 0;
    return out;
  }
  if (!isDictionary(value)) throw fieldTypeError("httpMetadata", dictionary, "HttpMetadata or Headers");
  for (const [field] of TEXT_FIELDS) {
    if (value[field] !== undefined) out[field] = asDecodedFromWtf8(String(value[field]));
  }
  if (value.cacheExpiry !== undefined) out.cacheExpiry = toDateMs(value.cacheExpiry, "cacheExpiry", "HttpMetadata");
  return out;
}

/** The httpMetadata property of an R2 object: a fresh object with every field present. */
export function httpMetadataObject(metadata: HttpMetadata): Record<string, string | Date | undefined> {
  return {
    contentType: metadata.contentType,
    contentLanguage: metadata.contentLanguage,
    contentDisposition: metadata.contentDisposition,
    contentEncoding: metadata.contentEncoding,
    cacheControl: metadata.cacheControl,
    cacheExpiry: metadata.cacheExpiry === undefined ? undefined : new Date(metadata.cacheExpiry),
  };
}

export function writeHttpMetadataTo(metadata: HttpMetadata, headers: Headers): void {
  for (const [field, header] of TEXT_FIELDS) {
    const text = metadata[field];
    if (text !== undefined) headers.set(header, text);
  }
  if (metadata.cacheExpiry !== undefined) headers.set("expires", new Date(metadata.cacheExpiry).toUTCString());
}
