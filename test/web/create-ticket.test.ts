import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { forEachDatabase } from '../support/databases';
import { filesUnder, startPlugin, type TestPlugin } from '../support/test-host';
import { log, png } from '../support/samples';

forEachDatabase('creating a ticket with files', (db) => {
  let t: TestPlugin;
  before(async () => {
    t = await startPlugin(db);
  });
  after(() => t.close());

  async function technicalId(): Promise<string> {
    const row = await t.knex(t.tables.departments).where('code', 'technical').first('id');
    return String(row.id);
  }

  it('creates the ticket, its message and both files, and shows it in the list', async () => {
    const ivan = t.as('ivan');
    const token = await ivan.csrf();
    const res = await ivan
      .post(`/?_csrf=${encodeURIComponent(token)}`)
      .field('subject', 'Сайт не открывается')
      .field('serviceId', 'svc-101')
      .field('departmentId', await technicalId())
      .field('message', 'С утра сайт на VPS отдаёт 502. Логи во вложении.')
      .attach('files', png, 'screen.png')
      .attach('files', log, 'nginx-error.log');
    assert.equal(res.status, 303, res.text);
    const number = /\/(\d{8})\?created=1$/.exec(res.headers.location as string)?.[1];
    assert.ok(number, `redirect to the ticket: ${res.headers.location}`);

    const ticket = await t.knex(t.tables.tickets).where('number', number).first();
    assert.equal(ticket.customer_id, 'c-ivan');
    assert.equal(ticket.customer_name, 'Иван Петров');
    assert.equal(ticket.customer_email, 'ivan@example.ru');
    assert.equal(ticket.service_id, 'svc-101');
    assert.equal(ticket.service_label, 'VPS Cloud-2 (Москва)');
    assert.equal(ticket.subject, 'Сайт не открывается');
    assert.equal(ticket.status, 'new');

    const attachments = await t.knex(t.tables.attachments).where('ticket_id', ticket.id).orderBy('id');
    assert.deepEqual(
      attachments.map((a) => [a.original_name, Number(a.size_bytes), a.content_type, a.sha256]),
      [
        ['screen.png', png.length, 'image/png', crypto.createHash('sha256').update(png).digest('hex')],
        ['nginx-error.log', log.length, 'text/plain', crypto.createHash('sha256').update(log).digest('hex')],
      ],
    );
    for (const a of attachments) assert.doesNotMatch(a.storage_key, /screen|nginx|\./, 'the client name is never part of the key');
    assert.equal(filesUnder(t.storageDir).length, 2);

    const list = await ivan.get('/');
    assert.equal(list.status, 200);
    assert.match(list.text, new RegExp(`>№${number}<`));
    assert.match(list.text, /Сайт не открывается/);
    assert.match(list.text, /Технический отдел/);
    assert.match(list.text, /VPS Cloud-2 \(Москва\)/);

    const page = await ivan.get(`/${number}`);
    assert.equal(page.status, 200);
    assert.match(page.text, /С утра сайт на VPS отдаёт 502/);
    const links = [...page.text.matchAll(/href="([^"]+\/files\/\d+)"/g)].map((m) => m[1] as string);
    assert.equal(links.length, 2);

    const download = await ivan
      .get(links[0]!.replace('/support/requests', ''))
      .buffer(true)
      .parse((r, cb) => {
        const chunks: Buffer[] = [];
        r.on('data', (c: Buffer) => chunks.push(c));
        r.on('end', () => cb(null, Buffer.concat(chunks)));
      });
    assert.equal(download.status, 200);
    assert.ok(png.equals(download.body as Buffer), 'the downloaded bytes are the uploaded ones');
    assert.equal(download.headers['content-type'], 'image/png');
    assert.match(download.headers['content-disposition'] as string, /^attachment; filename="?screen\.png"?/);
    assert.equal(download.headers['x-content-type-options'], 'nosniff');
  });
});
