import assert from 'node:assert/strict';
import { attachmentName, cleanFileName, extensionOf, NAME_MAX } from '../../src/files/names';

describe('file names: what a sender may not hide or smuggle in', () => {
  it('drops folders', () => {
    assert.equal(cleanFileName('../../etc/passwd'), 'passwd');
    assert.equal(cleanFileName('C:\\Users\\a\\report.pdf'), 'report.pdf');
  });

  it("strips C0 and C1 controls, as sent in filename*=UTF-8''a%C2%85b%C2%9Bc.png", () => {
    assert.equal(cleanFileName(decodeURIComponent('a%C2%85b%C2%9Bc.png')), 'abc.png');
    assert.equal(cleanFileName('bad\r\nname\u0000\u007f.txt'), 'badname.txt');
  });

  it('strips every bidi control, so "photo<RLO>gpj.zip" cannot show as "photopiz.jpg"', () => {
    assert.equal(cleanFileName('photo\u202Egpj.zip'), 'photogpj.zip');
    for (const mark of [
      '\u200E',
      '\u200F',
      '\u202A',
      '\u202B',
      '\u202C',
      '\u202D',
      '\u202E',
      '\u2066',
      '\u2067',
      '\u2068',
      '\u2069',
      '\u061C',
    ]) {
      assert.equal(cleanFileName(`a${mark}b.txt`), 'ab.txt', `U+${mark.codePointAt(0)!.toString(16)}`);
    }
  });

  it('strips zero-width characters and separators', () => {
    for (const mark of ['\u200B', '\u200C', '\u200D', '\u2060', '\uFEFF', '\u2028', '\u2029', '\u00AD']) {
      assert.equal(cleanFileName(`a${mark}b.txt`), 'ab.txt', `U+${mark.codePointAt(0)!.toString(16)}`);
    }
  });

  it('normalises to NFC', () => {
    // "ё" as "е" + combining diaeresis, as macOS sends it.
    assert.equal(cleanFileName('Отче\u0308т.pdf'), 'Отч\u0451т.pdf');
    assert.equal(cleanFileName('cafe\u0301.txt'), 'caf\u00e9.txt');
  });

  it('names of only dots or spaces become "file"', () => {
    for (const raw of ['', '.', '..', '...', '   ', ' . . ', '\u202E', '\u00A0\u3000'])
      assert.equal(cleanFileName(raw), 'file', JSON.stringify(raw));
  });

  it('drops trailing dots and spaces, which Windows drops to reveal another extension', () => {
    assert.equal(cleanFileName('run.bat. . .'), 'run.bat');
    assert.equal(cleanFileName('  report.pdf  '), 'report.pdf');
  });

  it('renames Windows device names, with or without an extension', () => {
    assert.equal(cleanFileName('CON'), '_CON');
    assert.equal(cleanFileName('nul.txt'), '_nul.txt');
    assert.equal(cleanFileName('com1.log'), '_com1.log');
    assert.equal(cleanFileName('LPT9'), '_LPT9');
    assert.equal(cleanFileName('console.txt'), 'console.txt');
  });

  it('replaces characters Windows forbids', () => assert.equal(cleanFileName('a<b>c:d"e|f?g*h.txt'), 'a_b_c_d_e_f_g_h.txt'));

  it('shortens long names to NAME_MAX by whole characters and keeps the extension', () => {
    const cyrillic = cleanFileName('ж'.repeat(400) + '.pdf');
    assert.equal(cyrillic.length, NAME_MAX);
    assert.ok(cyrillic.endsWith('ж.pdf'));
    // 4-byte characters: cutting by UTF-16 units alone would leave half a surrogate pair.
    const emoji = cleanFileName('😀'.repeat(200) + '.png');
    assert.ok(emoji.endsWith('😀.png'), emoji.slice(-8));
    assert.ok(emoji.length <= NAME_MAX);
    assert.doesNotMatch(emoji, /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/, 'no lone surrogate');
    assert.equal(Buffer.from(emoji, 'utf8').toString('utf8'), emoji);
    // A long "extension" is part of the name.
    assert.equal(cleanFileName('a.' + 'b'.repeat(300)).length, NAME_MAX);
  });

  it('keeps ordinary names as they are', () => {
    for (const name of ['nginx-error.log', 'Скриншот 2026-11-25 в 10.00.png', 'backup.tar.gz', '.htaccess', '日本語.pdf']) {
      assert.equal(cleanFileName(name), name);
    }
  });

  it('finds the extension, not a leading dot', () => {
    assert.equal(extensionOf('.env'), '');
    assert.equal(extensionOf('A.LOG'), '.log');
    assert.equal(extensionOf('backup.tar.gz'), '.gz');
    assert.equal(extensionOf('Makefile'), '');
  });
});

describe('file names: the extension follows the content', () => {
  it('text keeps a plain-text extension', () => {
    for (const name of [
      'error.log',
      'nginx.conf',
      'my.cnf.cfg',
      'php.ini',
      'export.csv',
      'data.json',
      'compose.yaml',
      'ci.yml',
      'notes.txt',
      'ERROR.LOG',
    ]) {
      assert.equal(attachmentName(name, 'text/plain'), name);
    }
  });

  it('any other text file is stored as <name>.txt', () => {
    const cases: Array<[string, string]> = [
      ['drawing.svg', 'drawing.svg.txt'],
      ['page.html', 'page.html.txt'],
      ['run.js', 'run.js.txt'],
      ['app.hta', 'app.hta.txt'],
      ['fix.bat', 'fix.bat.txt'],
      ['fix.bat. ', 'fix.bat.txt'],
      ['index.php', 'index.php.txt'],
      ['deploy.sh', 'deploy.sh.txt'],
      ['.htaccess', '.htaccess.txt'],
      ['.env', '.env.txt'],
      ['Makefile', 'Makefile.txt'],
      ['feed.xml', 'feed.xml.txt'],
      ['README.md', 'README.md.txt'],
      ['access.log.1', 'access.log.1.txt'],
    ];
    for (const [raw, stored] of cases) assert.equal(attachmentName(raw, 'text/plain'), stored, raw);
  });

  it('a binary file keeps only an extension of its detected type', () => {
    assert.equal(attachmentName('x.exe', 'image/png'), 'x.exe.png');
    assert.equal(attachmentName('y.jar', 'application/zip'), 'y.jar.zip');
    assert.equal(attachmentName('z.docx', 'application/zip'), 'z.docx.zip');
    assert.equal(attachmentName('img.svgz', 'application/gzip'), 'img.svgz.gz');
    assert.equal(attachmentName('photo.JPEG', 'image/jpeg'), 'photo.JPEG');
    assert.equal(attachmentName('site.tgz', 'application/gzip'), 'site.tgz');
    assert.equal(attachmentName('photo\u202Egpj.zip', 'image/jpeg'), 'photogpj.zip.jpg');
  });

  it('a type we do not accept keeps its cleaned name, for the refusal message', () => {
    assert.equal(attachmentName('setup\u202Eexe.png', 'application/octet-stream'), 'setupexe.png');
  });

  it('the added extension survives shortening, and the rule is stable when applied again', () => {
    const long = attachmentName('я'.repeat(300) + '.php', 'text/plain');
    assert.equal(long.length, NAME_MAX);
    assert.ok(long.endsWith('я.txt'));
    for (const [raw, type] of [
      ['fix.bat', 'text/plain'],
      ['x.exe', 'image/png'],
      ['CON', 'text/plain'],
      ['ж'.repeat(400) + '.sh', 'text/plain'],
    ] as const) {
      const once = attachmentName(raw, type);
      assert.equal(attachmentName(once, type), once, raw.slice(0, 20));
    }
  });
});
