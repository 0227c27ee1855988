// The plugin assumes of its host only what src/host.ts says: pages, redirects and e-mail links
// share one address (publicBaseUrl + mountPath), a missing address is warned about at start,
// the host's res.locals are left alone, and no environment variable is read.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import express from 'express';
import request from 'supertest';
import { forEachDatabase } from '../support/databases';
import { startPlugin, type TestPlugin } from '../support/test-host';
import { createTicket } from '../support/tickets';
import { postForm } from '../support/forms';
import { SmtpSink } from '../support/smtp-sink';
import { png } from '../support/samples';

const NO_ADDRESS =
  /^warn support-requests: no publicBaseUrl \(neither in the settings nor from the host\): links in e-mails point to http:\/\/localhost\/support\/requests/;

forEachDatabase('host boundary', (db) => {
  let t: TestPlugin | undefined;
  let sink: SmtpSink | undefined;

  afterEach(async () => {
    await t?.close();
    await sink?.stop();
    t = undefined;
    sink = undefined;
  });

  it('warns once through the host logger at start when neither the settings nor the host give publicBaseUrl', async () => {
    const log: string[] = [];
    t = await startPlugin(db, {}, { log });
    assert.equal(log.filter((line) => NO_ADDRESS.test(line)).length, 1, log.join('\n'));
  });

  it('does not warn when the host gives publicBaseUrl, and links e-mails to it', async () => {
    const log: string[] = [];
    sink = await SmtpSink.started();
    const settings = {
      departments: { technical: { emails: ['tech@panel.example'] } },
      mail: sink.settings({ confirmToCustomer: false, pollSeconds: 0.05 }),
    };
    t = await startPlugin(db, settings, { log, hostPublicBaseUrl: 'https://panel.example' });
    assert.ok(!log.some((line) => line.includes('publicBaseUrl')), log.join('\n'));
    const number = await createTicket(t, t.as('ivan'));
    await sink.waitFor(1);
    assert.ok((sink.received[0]?.parsed.text ?? '').includes(`https://panel.example/support/requests/${number}`));
  });

  it('gives pages, redirects and e-mails one address: publicBaseUrl + mountPath, path included', async () => {
    // A panel served under /billing, behind a proxy that takes /billing off before the app sees it.
    sink = await SmtpSink.started();
    const settings = {
      publicBaseUrl: 'https://panel.example/billing/',
      departments: { technical: { emails: ['tech@panel.example'] } },
      mail: sink.settings({ confirmToCustomer: false, pollSeconds: 0.05 }),
    };
    t = await startPlugin(db, settings);
    const ivan = t.as('ivan');
    const list = await ivan.get('/').expect(200);
    assert.match(list.text, /href="\/billing\/support\/requests\/new"/);
    assert.match(list.text, /<link rel="stylesheet" href="\/billing\/support\/requests\/assets\/support\.css\?v=/);

    const number = await createTicket(t, ivan);
    await sink.waitFor(1);
    assert.ok((sink.received[0]?.parsed.text ?? '').includes(`https://panel.example/billing/support/requests/${number}`));
    const closed = await postForm(ivan, `/${number}/close`, await ivan.csrf(`/${number}`)).expect(303);
    assert.equal(closed.headers.location, `/billing/support/requests/${number}`);
  });

  it("leaves the host's res.locals alone", async () => {
    t = await startPlugin(db, { uploads: { maxFiles: 1 } });
    // A host whose res.locals cannot be written to: any write by the plugin would fail the request.
    const app = express();
    app.use((_req, res, next) => {
      Object.freeze(res.locals);
      next();
    });
    app.use(t.plugin.mountPath, t.plugin.router);
    const as = (url: string) =>
      request(app)
        .get(t!.plugin.mountPath + url)
        .set('x-test-user', 'ivan');
    const form = await as('/new').expect(200);
    const token = decodeURIComponent(/_csrf=([^"&]+)/.exec(form.text)?.[1] ?? '');
    // Two files where one is allowed: the upload's problem comes back next to the field.
    const refused = await request(app)
      .post(`${t.plugin.mountPath}/?_csrf=${encodeURIComponent(token)}`)
      .set('x-test-user', 'ivan')
      .field('subject', 'Скриншоты')
      .field('message', 'Два скриншота ошибки.')
      .attach('files', png, 'one.png')
      .attach('files', png, 'two.png');
    assert.equal(refused.status, 422, refused.text.slice(0, 300));
    assert.match(refused.text, /id="files-error" role="alert"/);
  });
});

describe('host boundary: the environment', () => {
  it('is not read by the plugin: everything comes from the host contract and the settings', () => {
    const src = path.resolve(__dirname, '..', '..', 'src');
    // bin/ is the pipe command, a program of its own run by the mail server, not the plugin.
    const readers = fs
      .readdirSync(src, { recursive: true, encoding: 'utf8' })
      .filter((file) => !file.startsWith('bin'))
      .filter((file) => file.endsWith('.js') && fs.readFileSync(path.join(src, file), 'utf8').includes('process.env'));
    assert.deepEqual(readers, []);
  });
});
