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

/** Whether `size` is a page size SQLite can use: a power of two from 512 to 65536. */
export function isPageSize(size: number): boolean {
  return size >= 512 && size <= 65536 && (size & (size - 1)) === 0;
}

/**
 * Why `file` (a whole database file, not empty) cannot be a committed SQLite database, or
 * undefined when its shape is sound. Only the shape is checked (magic, page size, whole pages,
 * and at least as many as the header declares), which costs nothing and catches what a copy
 * cut short or a foreign file leaves; damage inside the pages is SQLite's to find.
 */
export function databaseDamage(file: Uint8Array): string | undefined {
  if (!isDatabaseImage(file)) return "it does not start with SQLite's header";
  const pageSize = pageSizeOf(file);
  if (!isPageSize(pageSize)) return `its header gives an invalid page size, ${pageSize}`;
  if (file.byteLength % pageSize !== 0) return `its length, ${file.byteLength} bytes, is not a whole number of ${pageSize}-byte pages`;
  // The header's page count is meaningful only while bytes 92..95 (version-valid-for) match
  // the change counter (24..27), as SQLite checks before it trusts it.
  const view = new DataView(file.buffer, file.byteOffset, HEADER_BYTES);
  const declared = view.getUint32(24) === view.getUint32(92) ? pageCountOf(file) : 0;
  if (file.byteLength / pageSize < declared) return `it holds ${file.byteLength / pageSize} pages where its header declares ${declared} (cut short)`;
  return undefined;
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
