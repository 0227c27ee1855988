import assert from 'node:assert/strict';
import { detectBinaryType, TextDetector } from '../../src/files/sniff';
import { exe, gz, log, pdf, png } from '../support/samples';

function tarHeader(): Buffer {
  const block = Buffer.alloc(512);
  block.write('file.txt', 0);
  block.write('ustar', 257);
  return block;
}

describe('content sniffing', () => {
  it('recognises the accepted binary formats by their bytes', () => {
    assert.equal(detectBinaryType(png), 'image/png');
    assert.equal(detectBinaryType(pdf), 'application/pdf');
    assert.equal(detectBinaryType(gz), 'application/gzip');
    assert.equal(detectBinaryType(tarHeader()), 'application/x-tar');
    assert.equal(detectBinaryType(Buffer.from('PK\x03\x04rest')), 'application/zip');
    assert.equal(detectBinaryType(Buffer.from([0xff, 0xd8, 0xff, 0xe0])), 'image/jpeg');
    assert.equal(detectBinaryType(Buffer.from('RIFF\0\0\0\0WEBPVP8 ')), 'image/webp');
  });

  it('does not recognise an executable', () => assert.equal(detectBinaryType(exe), null));

  it('treats UTF-8 without NUL as text, even when a character is split across chunks', () => {
    const detector = new TextDetector();
    const bytes = Buffer.from('журнал ошибок');
    detector.push(bytes.subarray(0, 3));
    detector.push(bytes.subarray(3));
    assert.equal(detector.isText(), true);
    const plain = new TextDetector();
    plain.push(log);
    assert.equal(plain.isText(), true);
    // A four-byte character cut after each of its bytes, then an ASCII chunk.
    const emoji = Buffer.from('ok 🙂 ok');
    const split = new TextDetector();
    for (let i = 0; i < emoji.length; i++) split.push(emoji.subarray(i, i + 1));
    assert.equal(split.isText(), true);
  });

  it('treats a character cut off at the end, or broken across chunks, as not text', () => {
    const cutOff = new TextDetector();
    cutOff.push(Buffer.from('журнал').subarray(0, 5));
    assert.equal(cutOff.isText(), false);
    const brokenAcross = new TextDetector();
    brokenAcross.push(Buffer.from([0x61, 0xe2, 0x82]));
    brokenAcross.push(Buffer.from([0x28, 0x61]));
    assert.equal(brokenAcross.isText(), false);
  });

  it('treats NUL bytes or broken UTF-8 as not text', () => {
    const withNul = new TextDetector();
    withNul.push(exe);
    assert.equal(withNul.isText(), false);
    const broken = new TextDetector();
    broken.push(Buffer.from([0x68, 0xc3, 0x28]));
    assert.equal(broken.isText(), false);
  });
});
