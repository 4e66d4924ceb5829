import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { crc32, deflateRawSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import {
  centralDirectoryRecord,
  dataDescriptor,
  endOfCentralDirectory,
  localFileHeader,
  METHOD_DEFLATED,
  METHOD_STORED,
  streamNeedsZip64,
  type ZipRecord,
} from './zip-records.js';

interface Part {
  name: string;
  content: Buffer;
  method: ZipRecord['method'];
  streamed?: boolean;
  zip64?: boolean;
}

/** An archive assembled from the records alone, the way the packager lays them out. */
function archive(parts: Part[]): Buffer {
  const chunks: Buffer[] = [];
  let offset = 0;
  const push = (buffer: Buffer) => {
    chunks.push(buffer);
    offset += buffer.length;
  };
  const central: Buffer[] = [];
  for (const part of parts) {
    const data = part.method === METHOD_STORED ? part.content : deflateRawSync(part.content);
    const record: ZipRecord = {
      name: Buffer.from(part.name),
      mode: 0o100755,
      method: part.method,
      crc32: crc32(part.content),
      compressedSize: data.length,
      uncompressedSize: part.content.length,
      streamed: part.streamed ?? false,
      zip64: part.zip64 ?? false,
    };
    central.push(centralDirectoryRecord(record, offset));
    push(localFileHeader(record));
    push(data);
    if (record.streamed) push(dataDescriptor(record));
  }
  const directoryOffset = offset;
  for (const record of central) push(record);
  const end = endOfCentralDirectory(parts.length, directoryOffset, offset - directoryOffset);
  return Buffer.concat([...chunks, end]);
}

/** Names, modes, sizes and CRC checks of an archive as Python's zipfile reads it. */
function readBack(zip: Buffer): Array<[string, number, number, string]> {
  const path = join(mkdtempSync(join(tmpdir(), 'zip-records-')), 'a.zip');
  writeFileSync(path, zip);
  const script =
    'import json,sys,zipfile\n' +
    'z=zipfile.ZipFile(sys.argv[1])\n' +
    'assert z.testzip() is None\n' +
    'print(json.dumps([[i.filename, i.external_attr >> 16, i.file_size, z.read(i).decode()] for i in z.infolist()]))';
  return JSON.parse(execFileSync('python3', ['-c', script, path]).toString());
}

describe('zip records', () => {
  it('write stored, deflated and streamed entries that an independent reader verifies', () => {
    const text = Buffer.from('hello '.repeat(50));
    const zip = archive([
      { name: 'a/stored.txt', content: Buffer.from('abc'), method: METHOD_STORED },
      { name: 'b/deflated.txt', content: text, method: METHOD_DEFLATED },
      { name: 'c/streamed.txt', content: text, method: METHOD_DEFLATED, streamed: true },
      { name: 'd/empty.txt', content: Buffer.alloc(0), method: METHOD_STORED },
    ]);
    expect(readBack(zip)).toEqual([
      ['a/stored.txt', 0o100755, 3, 'abc'],
      ['b/deflated.txt', 0o100755, text.length, text.toString()],
      ['c/streamed.txt', 0o100755, text.length, text.toString()],
      ['d/empty.txt', 0o100755, 0, ''],
    ]);
  });

  it('write zip64 forms for streamed entries that could pass 4 GiB', () => {
    const text = Buffer.from('zip64 '.repeat(40));
    const zip = archive([
      { name: 'big.bin', content: text, method: METHOD_DEFLATED, streamed: true, zip64: true },
    ]);
    expect(readBack(zip)).toEqual([['big.bin', 0o100755, text.length, text.toString()]]);
    expect(streamNeedsZip64(3_800_000_000)).toBe(true);
    expect(streamNeedsZip64(3_700_000_000)).toBe(false);
  });

  it('write the zip64 end records when the entry count does not fit 16 bits', () => {
    const end = endOfCentralDirectory(70_000, 1000, 500);
    expect(end.readUInt32LE(0)).toBe(0x06064b50);
    expect(end.readBigUInt64LE(32)).toBe(70_000n);
    expect(end.readUInt32LE(56)).toBe(0x07064b50);
    expect(end.readBigUInt64LE(64)).toBe(1500n);
    expect(end.readUInt16LE(76 + 10)).toBe(0xffff);
    expect(endOfCentralDirectory(3, 1000, 500).length).toBe(22);
  });

  it('write a zip64 central record when the local header lies past 4 GiB', () => {
    const record: ZipRecord = {
      name: Buffer.from('late.txt'),
      mode: 0o100644,
      method: METHOD_STORED,
      crc32: 0,
      compressedSize: 1,
      uncompressedSize: 1,
      streamed: false,
      zip64: false,
    };
    const central = centralDirectoryRecord(record, 5_000_000_000);
    expect(central.readUInt32LE(42)).toBe(0xffffffff);
    const extra = central.subarray(46 + record.name.length);
    expect(extra.readUInt16LE(0)).toBe(0x0001);
    expect(extra.readBigUInt64LE(4 + 16)).toBe(5_000_000_000n);
    expect(centralDirectoryRecord(record, 10).length).toBe(46 + record.name.length);
  });
});
