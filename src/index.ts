// The plugin's entry: a host calls activate() with its contract and the plugin's settings.
import path from 'node:path';
import semver from 'semver';
import type { ActivatedPlugin, ActivateOptions, HostLogger, SupportHost } from './host';
import { loadManifest, ManifestError, validateSettings } from './manifest';
import { PLUGIN_ROOT } from './paths';
import { tableNames } from './store/tables';
import { createStore } from './store';
import { jobLeaseStore } from './store/job-leases';
import { migrateDownAll, migrateLatest } from './store/migrate';
import { FileStorage } from './files/storage';
import { thumbnails as thumbnailsOf } from './files/thumbnails';
import { orphanSweep } from './files/orphan-sweep';
import { pendingUploadSweep } from './jobs/pending-sweep';
import { PENDING_KEEP_DAYS } from './domain/pending-uploads';
import { loadCatalog } from './i18n';
import { customerTickets } from './domain/customer-tickets';
import { staffTickets } from './domain/staff-tickets';
import { autoCloseJob } from './domain/auto-close';
import { SLA_WARNING_EVERY_MS, slaWarningJob } from './domain/sla-warnings';
import { composer } from './mail/compose';
import { createTransport } from './mail/transport';
import { loadScript, loadStylesheet } from './web/stylesheet';
import { loadDepartmentHintScript } from './web/department-hint-script';
import { sentMailRetention } from './mail/sent-retention';
import { Dispatcher } from './mail/dispatcher';
import { Scheduler } from './jobs/scheduler';
import { TransportHealth } from './mail/health';
import { mailAdmin } from './domain/mail-admin';
import { departmentAdmin } from './domain/department-admin';
import { cannedReplies } from './domain/canned-replies';
import { csrfProtection } from './web/csrf';
import { renderer } from './web/render';
import { customerRoutes } from './web/customer-routes';
import { adminRoutes } from './web/admin-routes';
import { staffRoutes } from './web/staff-routes';
import { pluginRouter } from './web/router';
import { pluginAddress } from './public-address';
import { replyAddresses } from './mail/reply-address';
import { acknowledgeLinks, ratingLinks } from './mail/rating-links';
import { escalationJob } from './domain/escalation';
import { ratings } from './domain/ratings';
import { reportJob, reports } from './domain/reports';
import { mailIn } from './mail-in';
import { inboundMailStore } from './store/inbound-mail';
import type { MailOriginals } from './model/inbound';
import { incidents as incidentsOf } from './domain/incidents';
import { incidentBroadcast, incidentBroadcastJob } from './domain/incident-broadcast';

export type * from './host';
export type { IntakeOptions, IntakeOutcome, IntakeResult, IntakeSource, ReceiveMail } from './model/inbound';
/**
 * The contract version this release's types describe, for tools and tests. A host declares the
 * version it implements itself: copying this one would make the hostApi check always pass.
 */
export { HOST_API_VERSION } from './host';
export { ManifestError } from './manifest';

const consoleLogger: HostLogger = {
  info: (m) => console.log(m),
  warn: (m) => console.warn(m),
  error: (m) => console.error(m),
};

export async function activate(host: SupportHost, rawSettings: unknown, options: ActivateOptions = {}): Promise<ActivatedPlugin> {
  const now = options.now ?? Date.now;
  const manifest = loadManifest();
  if (!semver.satisfies(host.apiVersion, manifest.hostApi)) {
    throw new ManifestError(`host API ${host.apiVersion} does not satisfy plugin.json/hostApi "${manifest.hostApi}"`);
  }
  const settings = validateSettings(manifest, rawSettings);
  const logger = host.logger ?? consoleLogger;
  const tables = tableNames(settings.tablePrefix, manifest.migrations.table);
  const migrationsDir = path.join(PLUGIN_ROOT, manifest.migrations.directory);
  const store = createStore(host.knex, tables, now);
  const storage = new FileStorage(settings.storageDir ?? path.join(host.dataDir, 'support-requests'));
  const thumbnails = thumbnailsOf(storage);
  const localesDir = path.join(PLUGIN_ROOT, manifest.locales.directory);
  const catalog = loadCatalog(localesDir, manifest.locales.supported);
  const viewsDir = path.join(PLUGIN_ROOT, manifest.views);
  const stylesheet = loadStylesheet(path.join(PLUGIN_ROOT, manifest.stylesheet));
  const departmentHintScript = loadDepartmentHintScript(path.join(PLUGIN_ROOT, 'public', 'department-hint.js'));
  // Beside the stylesheet, with the same name: a page's small improvements (counters, the emergency note).
  const script = loadScript(path.join(PLUGIN_ROOT, manifest.stylesheet.replace(/\.css$/, '.js')));
  // Pages and e-mail links both point here.
  const address = pluginAddress(settings.publicBaseUrl ?? host.publicBaseUrl, manifest.mountPath, logger);
  const render = renderer((req, res, page) => host.render(req, res, page), viewsDir, stylesheet, address.path, script);
  const csrf = csrfProtection((req) => host.session(req));

  const transport = createTransport(host.mail, settings.mail, {
    viewsDir,
    localesDir,
    locales: manifest.locales.supported,
  });
  // Half the SMTP timeout: a working server answers every step well within it.
  const health = new TransportHealth(transport, logger, { notAnsweringAfterMs: (settings.mail.timeoutSeconds * 1000) / 2, now });
  let transportCheck: Promise<unknown> = Promise.resolve();
  const dispatcher = new Dispatcher({
    outbox: store.outbox,
    transport,
    health,
    storage,
    logger,
    retry: settings.mail.retry,
    pollMs: settings.mail.pollSeconds * 1000,
    leaseMs: settings.mail.leaseSeconds * 1000,
    batchSize: settings.mail.batchSize,
    now,
  });

  const inboundSettings = settings.mail.inbound;
  // Mail in is on with a support address and a secret: e-mail is then answered to signed addresses.
  const addresses =
    inboundSettings.address && inboundSettings.secret ? replyAddresses(inboundSettings.address, inboundSettings.secret) : null;
  // Rating links in customers' e-mail are signed with the same secret, when there is one.
  const rateLinks = inboundSettings.secret ? ratingLinks(inboundSettings.secret) : null;
  // And so are the "I'm on it" links of urgent requests.
  const ackLinks = inboundSettings.secret ? acknowledgeLinks(inboundSettings.secret) : null;
  const mail = composer({
    replies: addresses,
    ratingLinks: rateLinks,
    acknowledgeLinks: ackLinks,
    catalog,
    ticketsUrl: address.url,
    defaultLocale: settings.defaultLocale,
    defaultTimeZone: settings.timeZone,
    attachLimitBytes: settings.mail.attachLimitMb * 1024 * 1024,
    mailMessageIdDomain: transport.from.address.split('@')[1] ?? 'localhost',
    confirmToCustomer: settings.mail.confirmToCustomer,
  });
  const ticketDeps = {
    store,
    servicesOf: (customerId: string) => host.servicesOf(customerId),
    discardFiles: (keys: string[]) => storage.remove(keys),
    uploads: settings.uploads,
    newTicketsPerHour: settings.limits.newTicketsPerHour,
    mail,
    mailQueued: () => dispatcher.nudge(),
    now,
  };
  const inboundStore = inboundMailStore(host.knex, tables);
  // Kept whether or not mail in is on now: messages taken while it was keep their originals.
  const originals: MailOriginals = { of: (ids) => inboundStore.originalsOf(ids), read: (m) => storage.read(m.rawKey) };
  const tickets = customerTickets(ticketDeps);
  const rated = ratings(ticketDeps);
  /** Where days begin: a new working schedule's zone, the reports' days. */
  const timeZone = settings.timeZone ?? 'UTC';
  const reporting = reports({ store, timeZone, now });
  const broadcast = incidentBroadcast({ store, mail, defaultLocale: settings.defaultLocale, mailQueued: () => dispatcher.nudge(), now });
  const incidents = incidentsOf({ store, servicesOf: ticketDeps.servicesOf, broadcast, now });
  // The panel's own staff of each department (contract 1.3, optional).
  const hostStaffOf = host.staffOf ? (code: string) => host.staffOf!(code) : undefined;
  const staffWork = staffTickets({ ...ticketDeps, originals, hostStaffOf });
  const incoming = mailIn({
    host,
    tables,
    inbound: inboundStore,
    store,
    storage,
    catalog,
    defaultLocale: settings.defaultLocale,
    settings: inboundSettings,
    uploads: settings.uploads,
    addresses,
    customers: tickets,
    staff: staffWork,
    logger,
    now,
  });
  const scheduler = new Scheduler({
    jobs: [
      ...(settings.autoClose.afterDays > 0
        ? [
            autoCloseJob({
              store,
              mail,
              afterDays: settings.autoClose.afterDays,
              everyMs: settings.autoClose.checkMinutes * 60_000,
              logger,
              mailQueued: () => dispatcher.nudge(),
            }),
          ]
        : []),
      escalationJob({ store, mail, adminEmails: settings.escalation.adminEmails, logger, mailQueued: () => dispatcher.nudge() }),
      slaWarningJob({ store, mail, everyMs: SLA_WARNING_EVERY_MS, logger, mailQueued: () => dispatcher.nudge(), hostStaffOf }),
      ...(settings.mail.keepSentDays > 0 ? [sentMailRetention(store.outbox, settings.mail.keepSentDays, logger)] : []),
      ...incoming.jobs,
      pendingUploadSweep(PENDING_KEEP_DAYS, tickets.sweepPendingBefore, logger),
      incidentBroadcastJob(broadcast, logger),
      reportJob(reporting),
      orphanSweep({
        storage,
        // Attachments, the originals of e-mails taken in, and files kept for a form shown again.
        referencedKeys: async (keys) => {
          const [attached, mailed, pending] = await Promise.all([
            store.messages.referencedKeys(keys),
            inboundStore.referencedKeys(keys),
            store.pendingUploads.referencedKeys(keys),
          ]);
          return new Set([...attached, ...mailed, ...pending]);
        },
        logger,
      }),
    ],
    leases: jobLeaseStore(host.knex, tables),
    logger,
    now,
  });
  const departments = departmentAdmin({ store, now, hostStaffOf, adminEmails: settings.escalation.adminEmails });

  // What the customer's and the staff's pages both take.
  const pageDeps = { storage, thumbnails, settings, render, csrf, now, incidents };
  const router = pluginRouter({
    currentUser: (req) => host.currentUser(req),
    assets: [stylesheet, script, departmentHintScript],
    catalog,
    defaultLocale: settings.defaultLocale,
    defaultTimeZone: settings.timeZone,
    render,
    customer: customerRoutes({
      ...pageDeps,
      tickets,
      ratings: rated,
      ratingLinks: rateLinks,
      hintScript: departmentHintScript.url(render.base),
    }),
    staff: staffRoutes({ ...pageDeps, tickets: staffWork, held: incoming.held, acknowledgeLinks: ackLinks }),
    admin: adminRoutes({
      thumbnails,
      mail: mailAdmin({
        outbox: store.outbox,
        health,
        transportSource: transport.source,
        fromAddress: transport.from.address,
        mailQueued: () => dispatcher.nudge(),
        now,
      }),
      departments,
      timeZone,
      canned: cannedReplies({ store, now }),
      held: incoming.held,
      ratings: rated,
      reports: reporting,
      now,
      render,
      csrf,
    }),
    logger,
    isDatabaseUnavailable: store.isUnavailable,
    receiveMail: incoming.receiveMail,
    inbound: settings.mail.inbound,
  });

  return {
    router,
    mountPath: manifest.mountPath,
    menu: manifest.menu.map((entry) => ({ ...entry, path: manifest.mountPath })),
    receiveMail: incoming.receiveMail,
    async menuBadge(user) {
      // A customer's: requests with an answer they have not seen; staff's: requests waiting for one.
      const count = user.role === 'client' ? await tickets.unseenAnswers(user) : await staffWork.waitingCount(user);
      return count > 0 ? count : null;
    },
    async migrate() {
      await migrateLatest(host.knex, migrationsDir, tables);
      // Settings seed a department until an admin saves it on the Departments page; then the page decides.
      for (const code of await departments.applySettings(settings.departments)) {
        logger.warn(
          `support-requests: settings.departments.${code} is not applied: an admin has edited that department on the Departments page, which now decides its addresses, language and urgency`,
        );
      }
      // Mail queued before a restart goes out as soon as the tables are known to be there.
      dispatcher.start();
      // Background jobs too: their lease table is there now.
      scheduler.start();
      // Not awaited: a slow or wrong SMTP server must not hold up the panel's start.
      transportCheck = health.check();
    },
    rollback: () => migrateDownAll(host.knex, migrationsDir, tables),
    async close() {
      // Waits for a running job, then for e-mails in flight; the host's knex stays the host's to close.
      await scheduler.stop();
      await dispatcher.stop();
      await transportCheck;
      await transport.transporter?.close();
    },
  };
}
