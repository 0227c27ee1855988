// Where the plugin's pages are: one address, for the browser and for links in e-mail, made of the
// panel's public address (settings.publicBaseUrl, else the host's) and plugin.json's mountPath.
import type { HostLogger } from './host';

export interface PluginAddress {
  /** The pages' path in the browser: the panel address's own path, then mountPath ("/support/requests"). */
  path: string;
  /** The same as an absolute URL, for e-mail ("https://panel.example/support/requests"). */
  url: string;
}

/** What links in e-mail point to when neither the settings nor the host name the panel's address. */
const FALLBACK_BASE_URL = 'http://localhost';

export function pluginAddress(publicBaseUrl: string | undefined, mountPath: string, logger: HostLogger): PluginAddress {
  let base = publicBaseUrl?.replace(/\/+$/, '');
  if (!base) {
    base = FALLBACK_BASE_URL;
    logger.warn(
      `support-requests: no publicBaseUrl (neither in the settings nor from the host): links in e-mails point to ${base}${mountPath}, which works on the panel's own computer only`,
    );
  }
  let parsed: URL | null = null;
  try {
    parsed = new URL(base);
  } catch {
    // Reported below, as any other address that is not http(s).
  }
  if (!parsed || !/^https?:$/.test(parsed.protocol)) {
    throw new Error(`support-requests: publicBaseUrl "${base}" is not an http(s) address`);
  }
  return { path: parsed.pathname.replace(/\/+$/, '') + mountPath, url: base + mountPath };
}
