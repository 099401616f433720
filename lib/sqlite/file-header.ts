/**
 * The few fields of a SQLite database header (the first 100 bytes of page 1) that persistence
 * reads or sets. Bytes 18 and 19 say whether the file is in WAL mode: on disk durasim's files
 * say WAL (2), as workerd's do, while the in-memory engine runs the same image with a rollback
 * journal (1), so that it writes pages into its own file where they can be observed.
 */

const MAGIC = "SQLite format 3\0";
/** The page size of a new database (sql.js is built with SQLite's default). */
export const DEFAULT_PAGE_SIZE = 4096;
export const HEADER_BYTES = 100;

/** Whether `bytes` starts like a SQLite database file. */
export function isDatabaseImage(bytes: Uint8Array): boolean {
  if (bytes.byteLength < HEADER_BYTES) return false;
  for (let i = 0; i < MAGIC.length; i++) if (bytes[i] !== MAGIC.charCodeAt(i)) return false;
  return true;
}

/** The page size recorded in the header (the value 1 stands for 65536). */
export function pageSizeOf(header: Uint8Array): number {
  const size = (header[16]! << 8) | header[17]!;
  return size === 1 ? 65536 : size;
}

/** The database size in pages recorded in the header. */
export function pageCountOf(header: Uint8Array): number {
  return new DataView(header.buffer, header.byteOffset, HEADER_BYTES).getUint32(28);
}

/** Sets the read/write format version bytes: 2 marks WAL mode, 1 a rollback journal. */
export function setJournalFormat(page1: Uint8Array, mode: "wal" | "rollback"): void {
  const version = mode === "wal" ? 2 : 1;
  page1[18] = version;
  page1[19] = version;
}
