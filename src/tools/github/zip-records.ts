/**
 * The byte records of a zip archive (PKWARE APPNOTE 6.3), for the deterministic packager: every
 * field that could vary between machines (times, owners, extra attributes) has one fixed value.
 * Zip64 forms are used only where a size, offset or count does not fit the classic fields.
 */

/** 1980-01-01 00:00:00, the zip epoch, as DOS date and time fields. */
const DOS_DATE = (1 << 5) | 1;
const DOS_TIME = 0;
const UTF8_NAMES = 0x0800;
const SIZES_AFTER_DATA = 0x0008;
const UNIX = 3 << 8;
const MAX_32 = 0xffffffff;
const MAX_16 = 0xffff;

export const METHOD_STORED = 0;
export const METHOD_DEFLATED = 8;

export interface ZipRecord {
  /** UTF-8 entry name. */
  name: Buffer;
  /** Unix mode with file type bits, e.g. 0o100644. */
  mode: number;
  method: typeof METHOD_STORED | typeof METHOD_DEFLATED;
  crc32: number;
  compressedSize: number;
  uncompressedSize: number;
  /** Streamed entries write their sizes and CRC after the data (flag bit 3). */
  streamed: boolean;
  /** Sizes in zip64 form in the local header and data descriptor. */
  zip64: boolean;
}

/**
 * Whether a file streamed through deflate may end up past 4 GiB. Deflate can expand incompressible
 * input a little; 13.5% plus a few bytes is the bound zlib documents for its worst settings.
 */
export function streamNeedsZip64(uncompressedSize: number): boolean {
  return uncompressedSize * 1.135 + 11 >= MAX_32;
}

function version(zip64: boolean): number {
  return zip64 ? 45 : 20;
}

function flags(record: ZipRecord): number {
  return UTF8_NAMES | (record.streamed ? SIZES_AFTER_DATA : 0);
}

function zip64Extra(values: number[]): Buffer {
  const extra = Buffer.alloc(4 + values.length * 8);
  extra.writeUInt16LE(0x0001, 0);
  extra.writeUInt16LE(values.length * 8, 2);
  values.forEach((value, index) => {
    extra.writeBigUInt64LE(BigInt(value), 4 + index * 8);
  });
  return extra;
}

export function localFileHeader(record: ZipRecord): Buffer {
  // A streamed entry's CRC and sizes are not known yet: zeros here, the real ones in the descriptor.
  const known = !record.streamed;
  const extra = record.zip64
    ? zip64Extra(known ? [record.uncompressedSize, record.compressedSize] : [0, 0])
    : Buffer.alloc(0);
  const header = Buffer.alloc(30);
  header.writeUInt32LE(0x04034b50, 0);
  header.writeUInt16LE(version(record.zip64), 4);
  header.writeUInt16LE(flags(record), 6);
  header.writeUInt16LE(record.method, 8);
  header.writeUInt16LE(DOS_TIME, 10);
  header.writeUInt16LE(DOS_DATE, 12);
  header.writeUInt32LE(known ? record.crc32 : 0, 14);
  header.writeUInt32LE(record.zip64 ? MAX_32 : known ? record.compressedSize : 0, 18);
  header.writeUInt32LE(record.zip64 ? MAX_32 : known ? record.uncompressedSize : 0, 22);
  header.writeUInt16LE(record.name.length, 26);
  header.writeUInt16LE(extra.length, 28);
  return Buffer.concat([header, record.name, extra]);
}

export function dataDescriptor(record: ZipRecord): Buffer {
  const descriptor = Buffer.alloc(record.zip64 ? 24 : 16);
  descriptor.writeUInt32LE(0x08074b50, 0);
  descriptor.writeUInt32LE(record.crc32, 4);
  if (record.zip64) {
    descriptor.writeBigUInt64LE(BigInt(record.compressedSize), 8);
    descriptor.writeBigUInt64LE(BigInt(record.uncompressedSize), 16);
  } else {
    descriptor.writeUInt32LE(record.compressedSize, 8);
    descriptor.writeUInt32LE(record.uncompressedSize, 12);
  }
  return descriptor;
}

export function centralDirectoryRecord(record: ZipRecord, localHeaderOffset: number): Buffer {
  const zip64 =
    record.zip64 ||
    record.compressedSize >= MAX_32 ||
    record.uncompressedSize >= MAX_32 ||
    localHeaderOffset >= MAX_32;
  const extra = zip64
    ? zip64Extra([record.uncompressedSize, record.compressedSize, localHeaderOffset])
    : Buffer.alloc(0);
  const header = Buffer.alloc(46);
  header.writeUInt32LE(0x02014b50, 0);
  header.writeUInt16LE(UNIX | version(zip64), 4);
  header.writeUInt16LE(version(zip64), 6);
  header.writeUInt16LE(flags(record), 8);
  header.writeUInt16LE(record.method, 10);
  header.writeUInt16LE(DOS_TIME, 12);
  header.writeUInt16LE(DOS_DATE, 14);
  header.writeUInt32LE(record.crc32, 16);
  header.writeUInt32LE(zip64 ? MAX_32 : record.compressedSize, 20);
  header.writeUInt32LE(zip64 ? MAX_32 : record.uncompressedSize, 24);
  header.writeUInt16LE(record.name.length, 28);
  header.writeUInt16LE(extra.length, 30);
  // Comment length, disk number and internal attributes stay 0.
  header.writeUInt32LE((record.mode << 16) >>> 0, 38);
  header.writeUInt32LE(zip64 ? MAX_32 : localHeaderOffset, 42);
  return Buffer.concat([header, record.name, extra]);
}

/** The end records; the zip64 pair comes first when a count, size or offset needs it. */
export function endOfCentralDirectory(
  entries: number,
  directoryOffset: number,
  directorySize: number,
): Buffer {
  const zip64 = entries >= MAX_16 || directoryOffset >= MAX_32 || directorySize >= MAX_32;
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(zip64 ? MAX_16 : entries, 8);
  end.writeUInt16LE(zip64 ? MAX_16 : entries, 10);
  end.writeUInt32LE(zip64 ? MAX_32 : directorySize, 12);
  end.writeUInt32LE(zip64 ? MAX_32 : directoryOffset, 16);
  if (!zip64) return end;

  const record = Buffer.alloc(56);
  record.writeUInt32LE(0x06064b50, 0);
  record.writeBigUInt64LE(44n, 4);
  record.writeUInt16LE(UNIX | 45, 12);
  record.writeUInt16LE(45, 14);
  record.writeBigUInt64LE(BigInt(entries), 24);
  record.writeBigUInt64LE(BigInt(entries), 32);
  record.writeBigUInt64LE(BigInt(directorySize), 40);
  record.writeBigUInt64LE(BigInt(directoryOffset), 48);
  const locator = Buffer.alloc(20);
  locator.writeUInt32LE(0x07064b50, 0);
  locator.writeBigUInt64LE(BigInt(directoryOffset + directorySize), 8);
  locator.writeUInt32LE(1, 16);
  return Buffer.concat([record, locator, end]);
}
