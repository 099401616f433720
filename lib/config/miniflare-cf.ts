/**
 * The `request.cf` Miniflare 4 gives requests it delivers: its fixed placeholder (an Austin,
 * Texas visitor) unless the `cf` option gives an object, or names a JSON file holding one.
 * Miniflare fetches Cloudflare's real object when `cf` is `true` (or, outside NODE_ENV=test,
 * when it is left out) and falls back to the placeholder offline; durasim never goes to the
 * network, so it always falls back (README, "Coming from Miniflare").
 */
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { ConfigError, describeConfigValue } from "../util/config-error.js";

/** Miniflare's placeholder, member for member, in its order. */
export const FALLBACK_CF: Readonly<Record<string, unknown>> = Object.freeze({
  asOrganization: "",
  asn: 395747,
  colo: "DFW",
  city: "Austin",
  region: "Texas",
  regionCode: "TX",
  metroCode: "635",
  postalCode: "78701",
  country: "US",
  continent: "NA",
  timezone: "America/Chicago",
  latitude: "30.27130",
  longitude: "-97.74260",
  clientTcpRtt: 0,
  httpProtocol: "HTTP/1.1",
  requestPriority: "weight=192;exclusive=0",
  tlsCipher: "AEAD-AES128-GCM-SHA256",
  tlsVersion: "TLSv1.3",
  tlsClientAuth: {
    certPresented: "0",
    certVerified: "NONE",
    certRevoked: "0",
    certIssuerDN: "",
    certSubjectDN: "",
    certIssuerDNRFC2253: "",
    certSubjectDNRFC2253: "",
    certIssuerDNLegacy: "",
    certSubjectDNLegacy: "",
    certSerial: "",
    certIssuerSerial: "",
    certSKI: "",
    certIssuerSKI: "",
    certFingerprintSHA1: "",
    certFingerprintSHA256: "",
    certNotBefore: "",
    certNotAfter: "",
    certRFC9440: "",
    certRFC9440TooLarge: false,
    certChainRFC9440: "",
    certChainRFC9440TooLarge: false,
  },
  edgeRequestKeepAliveStatus: 0,
  hostMetadata: undefined,
  clientTrustScore: 99,
  botManagement: {
    corporateProxy: false,
    verifiedBot: false,
    ja3Hash: "25b4882c2bcb50cd6b469ff28c596742",
    staticResource: false,
    detectionIds: [],
    score: 99,
  },
});

/**
 * The `cf` option as the object requests get: an object as given, a path's JSON (the
 * placeholder when the file cannot be read, where Miniflare would fetch Cloudflare's), else the
 * placeholder. A relative path is read from the current directory, not from rootPath: Miniflare
 * takes `cf` as a plain string, where its file options go through its rootPath resolution.
 */
export function miniflareCf(value: unknown): Record<string, unknown> {
  if (value === undefined || typeof value === "boolean") return { ...FALLBACK_CF };
  if (typeof value === "string") {
    try {
      return JSON.parse(readFileSync(resolve(value), "utf8")) as Record<string, unknown>;
    } catch {
      return { ...FALLBACK_CF };
    }
  }
  if (typeof value === "object" && value !== null && !Array.isArray(value)) return value as Record<string, unknown>;
  throw new ConfigError(
    `durasim: option "cf" must be true, false, a path to a JSON file or the request.cf object itself, got ${describeConfigValue(value)}.`,
  );
}
