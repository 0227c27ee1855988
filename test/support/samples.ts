// Small real files of each kind, made in memory.
import zlib from 'node:zlib';

/** A valid 1×1 PNG. */
export const png = Buffer.from(
  '89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082',
  'hex',
);
export const pdf = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n');
export const log = Buffer.from('2026-11-25 10:00:01 nginx: connect() failed (111: Connection refused)\nВторая строка журнала\n');
export const gz = zlib.gzipSync(log);
/** A Windows executable's first bytes, named like an image. */
export const exe = Buffer.concat([Buffer.from('MZ'), Buffer.alloc(200, 0x90)]);
