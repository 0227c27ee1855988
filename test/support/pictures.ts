// Pictures of each kind the thread shows, and the bad ones it must not: made with sharp, in memory.
import zlib from 'node:zlib';
import sharp from 'sharp';

export type PictureFormat = 'png' | 'jpeg' | 'gif' | 'webp';

/** A plain picture of this size; a noisy one (`noise`) weighs what a photo of its size does. */
export function picture(format: PictureFormat, width = 640, height = 480, noise = false): Promise<Buffer> {
  return sharp({
    create: {
      width,
      height,
      channels: 3,
      background: '#3a7bd5',
      ...(noise ? { noise: { type: 'gaussian' as const, mean: 128, sigma: 60 } } : {}),
    },
  })
    .toFormat(format, format === 'jpeg' ? { quality: 95 } : {})
    .toBuffer();
}

/** A JPEG stored 400 × 200 whose EXIF says to turn it a quarter (orientation 6): shown 200 × 400. */
export function sidewaysPhoto(): Promise<Buffer> {
  return sharp({ create: { width: 400, height: 200, channels: 3, background: '#888' } })
    .jpeg()
    .withMetadata({ orientation: 6 })
    .toBuffer();
}

/** A GIF of two 40 × 30 frames. */
export function animatedGif(): Promise<Buffer> {
  return sharp({ create: { width: 40, height: 60, channels: 3, background: '#c33', pageHeight: 30 } })
    .gif()
    .toBuffer();
}

/**
 * A decompression bomb: a real, decodable black-and-white PNG of 8000 × 8000 pixels (64
 * megapixels, over the 40 the plugin decodes) that weighs about 10 KB and takes hundreds of MB
 * to decode.
 */
export function pngBomb(): Buffer {
  const side = 8000;
  const chunk = (type: string, data: Buffer) => {
    const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(zlib.crc32(body));
    return Buffer.concat([length, body, crc]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(side, 0);
  header.writeUInt32BE(side, 4);
  header.writeUInt8(1, 8); // one bit a pixel, greyscale (colour type 0)
  // Each row: filter byte 0 and side / 8 bytes of black.
  const rows = Buffer.alloc((1 + side / 8) * side);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', zlib.deflateSync(rows, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}
