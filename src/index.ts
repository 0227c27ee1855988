// The plugin's entry: a host calls activate() with its contract and the plugin's settings.
import path from 'node:path';
import semver from 'semver';
import type { ActivatedPlugin, HostLogger, SupportHost } from './host';
import { loadManifest, ManifestError, validateSettings } from './manifest';
import { PLUGIN_ROOT } from './paths';
import { tableNames } from './store/tables';
import { createStore } from './store';
import { migrateDownAll, migrateLatest } from './store/migrate';
import { FileStorage } from './files/storage';
import { loadCatalog } from './i18n';
import { customerTickets } from './domain/customer-tickets';
import { csrfProtection } from './web/csrf';
import { renderer } from './web/render';
import { customerRoutes } from './web/customer-routes';
import { pluginRouter } from './web/router';

export type * from './host';
export { HOST_API_VERSION } from './host';
export { ManifestError } from './manifest';

const consoleLogger: HostLogger = {
  info: (m) => console.log(m),
  warn: (m) => console.warn(m),
  error: (m) => console.error(m),
};

export async function activate(host: SupportHost, rawSettings: unknown): Promise<ActivatedPlugin> {
  const manifest = loadManifest();
  if (!semver.satisfies(host.apiVersion, manifest.hostApi)) {
    throw new ManifestError(`host API ${host.apiVersion} does not satisfy plugin.json/hostApi "${manifest.hostApi}"`);
  }
  const settings = validateSettings(manifest, rawSettings);
  const logger = host.logger ?? consoleLogger;
  const tables = tableNames(settings.tablePrefix, manifest.migrations.table);
  const migrationsDir = path.join(PLUGIN_ROOT, manifest.migrations.directory);
  const store = createStore(host.knex, tables);
  const storage = new FileStorage(settings.storageDir ?? path.join(host.dataDir, 'support-requests'));
  const catalog = loadCatalog(path.join(PLUGIN_ROOT, manifest.locales.directory), manifest.locales.supported);
  const render = renderer(host, path.join(PLUGIN_ROOT, manifest.views), process.env.NODE_ENV === 'production');
  const csrf = csrfProtection(host);

  const tickets = customerTickets({
    store,
    servicesOf: (customerId) => host.servicesOf(customerId),
    discardFiles: (keys) => storage.remove(keys),
    uploads: settings.uploads,
  });

  const router = pluginRouter({
    host,
    catalog,
    defaultLocale: settings.defaultLocale,
    render,
    customer: customerRoutes({ tickets, storage, settings, render, csrf }),
    logger,
  });

  return {
    router,
    mountPath: manifest.mountPath,
    menu: manifest.menu.map((entry) => ({ ...entry, path: manifest.mountPath })),
    async migrate() {
      await migrateLatest(host.knex, migrationsDir, tables);
      for (const [code, department] of Object.entries(settings.departments)) {
        await store.departments.setEmails(code, department.emails);
      }
    },
    rollback: () => migrateDownAll(host.knex, migrationsDir, tables),
    async close() {
      // Nothing runs in the background yet; the host's knex stays the host's to close.
    },
  };
}
