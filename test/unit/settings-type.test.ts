import assert from 'node:assert/strict';
import fs from 'node:fs';
import { SETTINGS_TYPE_FILE, settingsTypeSource } from '../support/settings-type';

describe('Settings type', () => {
  it('is the one generated from plugin.json (npm run settings:type)', async function () {
    this.timeout(20_000);
    const committed = fs.readFileSync(SETTINGS_TYPE_FILE, 'utf8');
    assert.ok(committed === (await settingsTypeSource()), 'src/model/settings.ts is stale: run npm run settings:type');
  });
});
