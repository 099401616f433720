/**
 * R2 failures as Worker code sees them. The binding's own checks throw TypeErrors and
 * RangeErrors; the R2 service's refusals arrive as `Error("<operation>: <message> (<code>)")`,
 * where the operation is the service call (get, put, head, delete, list,
 * createMultipartUpload, uploadPart, completeMultipartUpload, abortMultipartUpload).
 */
export type R2Operation =
  | "get"
  | "put"
  | "head"
  | "delete"
  | "list"
  | "createMultipartUpload"
  | "uploadPart"
  | "completeMultipartUpload"
  | "abortMultipartUpload";

/** The service's error codes with their messages. */
export const R2_ERRORS = {
  internal: [10001, "We encountered an internal error. Please try again."],
  entityTooSmall: [10011, "Your proposed upload is smaller than the minimum allowed object size."],
  metadataTooLarge: [10012, "Your metadata headers exceed the maximum allowed metadata size."],
  invalidObjectName: [10020, "The specified object name is not valid."],
  invalidMaxKeys: [10022, "MaxKeys params must be positive integer <= 1000."],
  noSuchUpload: [10024, "The specified multipart upload does not exist."],
  invalidPart: [10025, "One or more of the specified parts could not be found."],
  invalidRange: [10039, "The requested range is not satisfiable"],
  invalidMultipart: [10048, "There was a problem with the multipart upload."],
} as const satisfies Record<string, readonly [number, string]>;

export function r2Error(operation: R2Operation, error: keyof typeof R2_ERRORS): Error {
  const [code, message] = R2_ERRORS[error];
  return r2ErrorWithText(operation, message, code);
}

export function r2ErrorWithText(operation: R2Operation, message: string, code: number): Error {
  return new Error(`${operation}: ${message} (${code})`);
}
