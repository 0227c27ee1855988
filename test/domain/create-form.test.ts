// The create form's rules on the memory store: files kept across a refused submit (pending
// uploads) and attached by the next one, only for their own customer and form; the sweep of
// abandoned ones by the clock; the emergency confirmation. No database, no HTTP.
import assert from 'node:assert/strict';
import { PENDING_KEEP_DAYS } from '../../src/domain/pending-uploads';
import { domainWorld, ivan, olga, problemsOf, storedFile } from '../support/domain-world';

const DAY = 86_400_000;
/** A form shown again carrying these tokens, none ticked off. */
const carrying = (tokens: string[]) => ({ carried: tokens, removed: [] });

describe('domain: the create form', () => {
  it('a refused submit keeps its valid files for the form, and the next submit attaches them; no pending row is left', async () => {
    const w = await domainWorld();
    const png = storedFile('screen.png');
    const exe = storedFile('tool.exe', 'application/x-msdownload');
    const refused = w.open(ivan, 'technical', { key: 'form-1', subject: '', files: [png, exe], kept: carrying([]) });
    assert.deepEqual(await problemsOf(refused), { subject: 'errors.subject.required', files: 'errors.files.type' });
    assert.equal(w.store.data.tickets.length, 0, 'no ticket rows');
    assert.deepEqual(w.discarded, [exe.storageKey], 'only the file the form would refuse is removed');
    const kept = await w.customer.pendingFiles(ivan, 'form-1');
    assert.deepEqual(
      kept.map((f) => f.name),
      ['screen.png'],
    );

    const fresh = storedFile('log.txt', 'text/plain');
    const ticket = await w.open(ivan, 'technical', { key: 'form-1', files: [fresh], kept: carrying(kept.map((f) => f.token)) });
    const attached = w.store.data.attachments.filter((a) => a.ticketId === ticket.id).map((a) => a.storageKey);
    assert.deepEqual(attached.sort(), [png.storageKey, fresh.storageKey].sort());
    assert.deepEqual(w.store.data.pendingUploads, [], 'a successful submit leaves no pending rows');
    assert.deepEqual(w.discarded, [exe.storageKey]);
  });

  it('a kept file ticked off is removed, and one the form no longer carries goes once the request is made', async () => {
    const w = await domainWorld();
    const [a, b, c] = [storedFile('a.png'), storedFile('b.png'), storedFile('c.png')];
    await problemsOf(w.open(ivan, 'technical', { key: 'form-2', message: '', files: [a, b, c], kept: carrying([]) }));
    const [ta, tb, tc] = (await w.customer.pendingFiles(ivan, 'form-2')).map((f) => f.token) as [string, string, string];
    const ticket = await w.open(ivan, 'technical', { key: 'form-2', kept: { carried: [ta, tb], removed: [tb] } });
    assert.deepEqual(
      w.store.data.attachments.filter((x) => x.ticketId === ticket.id).map((x) => x.storageKey),
      [a.storageKey],
    );
    assert.deepEqual(w.discarded.sort(), [b.storageKey, c.storageKey].sort(), `b ticked off, c (${tc}) not carried`);
    assert.deepEqual(w.store.data.pendingUploads, []);
  });

  it("another customer's token, or another form's, attaches nothing and leaves the file where it was", async () => {
    const w = await domainWorld();
    const file = storedFile('secret.png');
    await problemsOf(w.open(ivan, 'technical', { key: 'form-3', message: '', files: [file], kept: carrying([]) }));
    const [token] = (await w.customer.pendingFiles(ivan, 'form-3')).map((f) => f.token);
    const olgas = await w.open(olga, 'technical', { key: 'form-3', kept: carrying([token as string]) });
    assert.equal(w.store.data.attachments.filter((x) => x.ticketId === olgas.id).length, 0, "olga's request gets no file of ivan's");
    const other = await w.open(ivan, 'technical', { key: 'form-4', kept: carrying([token as string]) });
    assert.equal(w.store.data.attachments.filter((x) => x.ticketId === other.id).length, 0, "another form's token finds nothing");
    assert.equal(w.store.data.pendingUploads.length, 1, 'the file still waits for its own form');
    assert.deepEqual(w.discarded, []);
  });

  it('no more files are kept than a message may carry', async () => {
    const w = await domainWorld(); // maxFiles: 3
    await problemsOf(w.open(ivan, 'technical', { key: 'form-5', message: '', files: [storedFile(), storedFile()], kept: carrying([]) }));
    const first = (await w.customer.pendingFiles(ivan, 'form-5')).map((f) => f.token);
    const extra = [storedFile(), storedFile()];
    await problemsOf(w.open(ivan, 'technical', { key: 'form-5', message: '', files: extra, kept: carrying(first) }));
    assert.equal((await w.customer.pendingFiles(ivan, 'form-5')).length, 3);
    assert.deepEqual(w.discarded, [extra[1]!.storageKey]);
  });

  it('a form from e-mail (no kept files) removes its files when refused, as before', async () => {
    const w = await domainWorld();
    const file = storedFile();
    await problemsOf(w.open(ivan, 'technical', { message: '', files: [file] }));
    assert.deepEqual(w.discarded, [file.storageKey]);
    assert.deepEqual(w.store.data.pendingUploads, []);
  });

  it('abandoned files are swept after a day by the clock, the rows first; fresh ones stay', async () => {
    const w = await domainWorld();
    const old = storedFile('old.png');
    await problemsOf(w.open(ivan, 'technical', { key: 'old-form', message: '', files: [old], kept: carrying([]) }));
    w.clock.advance(PENDING_KEEP_DAYS * DAY - 1000);
    const fresh = storedFile('fresh.png');
    await problemsOf(w.open(ivan, 'technical', { key: 'new-form', message: '', files: [fresh], kept: carrying([]) }));
    w.clock.advance(2000);
    assert.equal(await w.customer.sweepPendingBefore(w.clock.now() - PENDING_KEEP_DAYS * DAY, 100), 1);
    assert.deepEqual(w.discarded, [old.storageKey]);
    assert.deepEqual(
      w.store.data.pendingUploads.map((p) => p.storageKey),
      [fresh.storageKey],
    );
  });

  it('a kept file swept while its form was being sent: the form comes back, nothing is created', async () => {
    const w = await domainWorld();
    await problemsOf(w.open(ivan, 'technical', { key: 'form-6', message: '', files: [storedFile()], kept: carrying([]) }));
    const tokens = (await w.customer.pendingFiles(ivan, 'form-6')).map((f) => f.token);
    // The sweep takes the row between the form's read of it and its transaction.
    const restore = w.store.replace('pendingUploads', 'forForm', async () => {
      restore();
      const rows = structuredClone(w.store.data.pendingUploads);
      w.store.data.pendingUploads = [];
      return rows;
    });
    assert.deepEqual(await problemsOf(w.open(ivan, 'technical', { key: 'form-6', kept: carrying(tokens) })), {
      files: 'form.pending.expired',
    });
    assert.equal(w.store.data.tickets.length, 0);
  });

  it('an urgent department needs the confirmation; without it nothing is created', async () => {
    const w = await domainWorld();
    assert.deepEqual(await problemsOf(w.open(ivan, 'emergency', { emergencyConfirmed: false })), {
      emergencyConfirm: 'emergency.confirmNeeded',
    });
    assert.equal(w.store.data.tickets.length, 0);
    assert.deepEqual(await problemsOf(w.open(ivan, 'emergency', { emergencyConfirmed: false, message: '' })), {
      emergencyConfirm: 'emergency.confirmNeeded',
      message: 'errors.message.required',
    });
    const ticket = await w.open(ivan, 'emergency', { emergencyConfirmed: true });
    assert.equal(ticket.priority, 'urgent');
    assert.ok(await w.open(ivan, 'technical', { emergencyConfirmed: false }), 'other departments need no confirmation');
  });
});
