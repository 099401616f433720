/**
 * How KV failures reach Worker code. The binding checks a few things itself (TypeErrors such
 * as "Key name cannot be empty."); everything else is the KV service answering an HTTP error,
 * which the binding turns into `Error("KV <OPERATION> failed: <status> <text>")`.
 */

/** The service operation behind each method, as the error text names it (list() is a GET). */
export type KvOperation = "GET" | "GET_BULK" | "PUT" | "DELETE";

export function kvServiceError(operation: KvOperation, status: number, text: string): Error {
  return new Error(`KV ${operation} failed: ${status} ${text}`);
}
