// Installs a plugin from its package folder the way a real panel does: read plugin.json without
// running plugin code, check the host API range, load `main`, activate, migrate, mount, add menu.
import fs from 'node:fs';
import path from 'node:path';
import semver from 'semver';
import type { Router } from 'express';
import type { ActivatedPlugin, HostUser, MenuEntry, SupportHost } from 'support-requests';

/**
 * The version of the plugin host contract this panel implements (1.1: menu badges). It is the
 * panel's own promise, written here, never read from the plugin: a plugin whose plugin.json
 * hostApi range does not cover it is refused before any of its code runs.
 */
export const PANEL_HOST_API_VERSION = '1.3.0';

/** The part of plugin.json the host reads before loading any code. */
export interface PluginManifest {
  id: string;
  name: string;
  version: string;
  hostApi: string;
  main: string;
  mountPath?: string;
}

export interface InstallOptions {
  /** The plugin's package folder (the one with plugin.json). */
  folder: string;
  host: SupportHost;
  settings: unknown;
  /** Where the plugin's router is mounted (the host's express app). */
  app: Router;
  /** Receives the plugin's menu entries. */
  menu: { add(entries: readonly MenuEntry[], badge?: (user: HostUser) => Promise<number | null>): void };
  /** The plugin's clock (activate's third argument), for tests that move time; a panel passes none. */
  now?: () => number;
}

export interface InstalledPlugin {
  manifest: PluginManifest;
  plugin: ActivatedPlugin;
}

type ActivateFn = (host: SupportHost, settings: unknown, options?: { now?: () => number }) => Promise<ActivatedPlugin>;

export function readManifest(folder: string): PluginManifest {
  const file = path.join(folder, 'plugin.json');
  let data: unknown;
  try {
    data = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (err) {
    throw new Error(`plugin at ${folder}: cannot read plugin.json: ${(err as Error).message}`, { cause: err });
  }
  const m = data as Partial<PluginManifest> | null;
  for (const key of ['id', 'name', 'version', 'hostApi', 'main'] as const) {
    if (typeof m?.[key] !== 'string' || m[key] === '') throw new Error(`plugin at ${folder}: plugin.json has no "${key}"`);
  }
  return m as PluginManifest;
}

export async function installPlugin({ folder, host, settings, app, menu, now }: InstallOptions): Promise<InstalledPlugin> {
  const manifest = readManifest(folder);
  const who = `plugin "${manifest.id}" ${manifest.version}`;
  if (!semver.validRange(manifest.hostApi)) {
    throw new Error(`${who}: plugin.json/hostApi "${manifest.hostApi}" is not a semver range`);
  }
  if (!semver.satisfies(host.apiVersion, manifest.hostApi)) {
    throw new Error(`${who} needs host API ${manifest.hostApi}; this panel implements ${host.apiVersion}`);
  }

  // Only now does plugin code run.
  const entry = path.resolve(folder, manifest.main);
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- the plugin's entry is named by its plugin.json, read at run time
  const exports = require(entry) as { activate?: unknown };
  if (typeof exports.activate !== 'function') throw new Error(`${who}: ${entry} does not export activate()`);
  const plugin = await (exports.activate as ActivateFn)(host, settings, now ? { now } : {});

  try {
    await plugin.migrate();
  } catch (err) {
    await plugin.close().catch(() => undefined);
    throw err;
  }
  if (!plugin.mountPath.startsWith('/')) {
    await plugin.close();
    throw new Error(`${who}: mount path "${plugin.mountPath}" must start with "/"`);
  }
  app.use(plugin.mountPath, plugin.router);
  // menuBadge came with contract 1.1; a plugin built for 1.0 has none.
  menu.add(plugin.menu, plugin.menuBadge ? (user) => plugin.menuBadge(user) : undefined);
  host.logger?.info(`${who} installed at ${plugin.mountPath}`);
  return { manifest, plugin };
}
