// The demo panel meets the plugin as any host does: through plugin.json and the package's public
// entry, with a host API version of its own, so the compatibility check can say no.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { Router } from 'express';
import semver from 'semver';
import type { SupportHost } from 'support-requests';
import { PLUGIN_FOLDER } from '../../demo/app';
import { installPlugin, PANEL_HOST_API_VERSION, readManifest } from '../../demo/install-plugin';

/** Every module a demo source file imports or requires. */
function importsOf(file: string): string[] {
  const text = fs.readFileSync(file, 'utf8');
  return [...text.matchAll(/(?:\bfrom\s+|\brequire\(\s*|\bimport\(\s*)'([^']+)'/g)].map((m) => m[1] as string);
}

describe('installing the plugin in the demo panel', () => {
  it('imports the plugin only through its public entry, never its sources', () => {
    const demo = path.join(PLUGIN_FOLDER, 'demo');
    const files = fs.readdirSync(demo).filter((f) => f.endsWith('.ts'));
    assert.ok(files.length > 10, 'the demo sources are found');
    for (const file of files) {
      for (const name of importsOf(path.join(demo, file))) {
        assert.ok(!name.startsWith('..') && !name.startsWith('support-requests/'), `demo/${file} imports ${name}`);
      }
    }
  });

  it('declares a host API version of its own, which the plugin accepts', () => {
    assert.ok(semver.valid(PANEL_HOST_API_VERSION));
    assert.ok(semver.satisfies(PANEL_HOST_API_VERSION, readManifest(PLUGIN_FOLDER).hostApi));
  });

  for (const version of ['2.0.0', '0.9.0']) {
    it(`refuses the plugin, before running any of its code, when the panel implements host API ${version}`, async () => {
      // Only the version: a plugin that ran would fail on the missing members instead.
      const host = { apiVersion: version } as SupportHost;
      const menu = { add: () => assert.fail('no menu entry for a refused plugin') };
      await assert.rejects(
        installPlugin({ folder: PLUGIN_FOLDER, host, settings: {}, app: Router(), menu }),
        new RegExp(
          `^Error: plugin "support-requests" \\d+\\.\\d+\\.\\d+ needs host API \\^1\\.0\\.0; this panel implements ${version.replace(/\./g, '\\.')}$`,
        ),
      );
    });
  }
});
