// A plain-text e-mail as a mail client writes it (CRLF lines, 8-bit UTF-8), for the tests that
// hand mail to the plugin: the headers given, after the ones every message has.
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
