// The page views escape with web/escape-html.ts instead of EJS's escapeXML: same text out.
import assert from 'node:assert/strict';
import ejs from 'ejs';
import { escapeHtml } from '../../src/web/escape-html';

describe('escaping a value for a page', () => {
  it("gives what EJS's own escaping gives", () => {
    const values: unknown[] = [
      undefined,
      null,
      '',
      0,
      10_000_123,
      false,
      'Request 42 about vps',
      'c-42@example.com',
      `<script>alert("x" & 'y')</script>`,
      '&amp; already',
      'Ünïcode — “quotes”',
      { toString: () => '<b>' },
      ['a', '<b>'],
    ];
    assert.deepEqual(
      values.map((v) => escapeHtml(v)),
      values.map((v) => ejs.escapeXML(v)),
    );
  });

  it('escapes all five characters, every time they occur', () => {
    assert.equal(escapeHtml(`a&b<c>d"e'f&<`), 'a&amp;b&lt;c&gt;d&#34;e&#39;f&amp;&lt;');
  });
});
