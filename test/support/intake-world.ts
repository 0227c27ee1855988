// The mail intake over a domain world (domain-world.ts) and the memory inbound store, for the
// domain's unit tests: every dependency has a plain default a test overrides where it matters.
import type { MailIntakeDeps } from '../../src/domain/mail-intake';
import { mailIntake } from '../../src/domain/mail-intake';
import type { ReplyAddresses } from '../../src/model/inbound';
import type { domainWorld } from './domain-world';
import type { memoryInbound } from './memory-inbound';

type World = Awaited<ReturnType<typeof domainWorld>>;

export function intakeOver(
  w: World,
  inbound: ReturnType<typeof memoryInbound>,
  addresses: ReplyAddresses,
  overrides: Partial<MailIntakeDeps> = {},
): ReturnType<typeof mailIntake> {
  let n = 0;
  return mailIntake({
    store: w.store,
    inbound,
    addresses,
    customers: w.customer,
    staff: w.staff,
    // Content sniffing is the files floor's (tested there): here an .exe is simply not one of the types.
    keepFile: async (f) => ({
      storageKey: `mail-file-${++n}`,
      originalName: f.filename,
      size: f.content.length,
      contentType: f.declaredType === 'image/png' ? 'image/png' : 'application/octet-stream',
      sha256: 'ab'.repeat(32),
    }),
    discardFiles: async (keys) => void w.discarded.push(...keys),
    uploads: { maxFiles: 3, maxFileBytes: 1000, allowedTypes: ['image/png', 'text/plain'] },
    phrases: {
      refusedFiles: (files) => `Not taken: ${files.map((f) => `${f.name} (${f.why})`).join(', ')}`,
      filesOnly: '(files)',
      noSubject: '(no subject)',
      sentBy: (name, address) => `From ${name} <${address}>:`,
    },
    perSenderPerHour: 0,
    requireAuthPassForStaff: false,
    defaultDepartment: 'client_relations',
    defaultLocale: 'ru',
    mailboxDepartments: new Map(),
    log: () => undefined,
    now: w.clock.now,
    ...overrides,
  });
}
