/**
 * A FormData body as the runtime encodes it (for a Request or a Response, whichever sends it):
 * multipart/form-data with a boundary of 32 lowercase hex digits, each part's name and file
 * name with `"`, CR and LF percent-encoded, string values as given (their line breaks are not
 * rewritten), and no line break after the closing boundary. It is a Blob whose type is the
 * body's content-type, so its size, the length HTTP sends, is known at once from the file
 * Blobs' sizes, without reading them (Node's encoding differs in all three respects and keeps
 * its length to itself).
 */
import { randomBytes } from "node:crypto";

export function multipartBody(form: FormData): Blob {
  const boundary = randomBytes(16).toString("hex");
  const escape = (name: string) => name.replace(/"/g, "%22").replace(/\r/g, "%0D").replace(/\n/g, "%0A");
  const parts: (string | Blob)[] = [];
  for (const [name, value] of form) {
    parts.push(`--${boundary}\r\nContent-Disposition: form-data; name="${escape(name)}"`);
    if (typeof value === "string") parts.push(`\r\n\r\n${value}\r\n`);
    else parts.push(`; filename="${escape(value.name)}"\r\nContent-Type: ${value.type || "application/octet-stream"}\r\n\r\n`, value, "\r\n");
  }
  parts.push(`--${boundary}--`);
  return new Blob(parts, { type: `multipart/form-data; boundary=${boundary}` });
}
