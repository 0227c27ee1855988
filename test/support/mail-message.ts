// E-mail as a mail client writes it (CRLF lines, 8-bit UTF-8), for the tests that hand mail to
// the plugin: the headers given, after the ones every message has; plain text, or text with files.
let made = 0;

export function plainMail(headers: Record<string, string>, body: string): Buffer {
  const all = {
    'Message-ID': `<test-${++made}.${Date.now()}@mail.example>`,
    'MIME-Version': '1.0',
    'Content-Type': 'text/plain; charset=utf-8',
    'Content-Transfer-Encoding': '8bit',
    ...headers,
  };
  const head = Object.entries(all).map(([name, value]) => `${name}: ${value}`);
  return Buffer.from([...head, '', body, ''].join('\r\n'));
}

/** A file of a mailWithFiles message: its declared type, its file name, and `name` where the Content-Type names it otherwise. */
export interface MailPart {
  type: string;
  filename: string;
  content: Buffer;
  name?: string;
}

/** A multipart/mixed e-mail: the text, then each file as a base64 attachment. */
export function mailWithFiles(headers: Record<string, string>, text: string, files: MailPart[]): Buffer {
  const parts = files.map((file) =>
    [
      '--b1',
      `Content-Type: ${file.type}; name="${file.name ?? file.filename}"`,
      `Content-Disposition: attachment; filename="${file.filename}"`,
      'Content-Transfer-Encoding: base64',
      '',
      file.content.toString('base64'),
    ].join('\r\n'),
  );
  const body = ['--b1', 'Content-Type: text/plain; charset=utf-8', '', text, ...parts, '--b1--'].join('\r\n');
  return plainMail({ 'Content-Type': 'multipart/mixed; boundary="b1"', 'Content-Transfer-Encoding': '7bit', ...headers }, body);
}
