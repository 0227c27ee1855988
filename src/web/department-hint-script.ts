// The create form's department hint in the browser: the domain's suggester itself
// (domain/department-suggestion.ts as compiled, so the browser and the server cannot disagree),
// then the page's script (public/department-hint.js), in one file under the plugin's mount path.
import fs from 'node:fs';
import { versionedAsset, type VersionedAsset } from './assets';

const DEPARTMENT_HINT_PATH = '/assets/department-hint.js';

/** The compiled module as a browser script: its exports become the variable `suggestion`. */
function asBrowserModule(compiled: string): string {
  const body = compiled.replace(/^\/\/# sourceMappingURL=.*$/m, '');
  return `var suggestion = (function (exports) {\n${body}\nreturn exports;\n})({});\n`;
}

export function loadDepartmentHintScript(pageScriptFile: string): VersionedAsset {
  const suggester = fs.readFileSync(require.resolve('../domain/department-suggestion'), 'utf8');
  const pageScript = fs.readFileSync(pageScriptFile, 'utf8');
  return versionedAsset(
    DEPARTMENT_HINT_PATH,
    'text/javascript',
    `(function () {\n'use strict';\n${asBrowserModule(suggester)}${pageScript}})();\n`,
  );
}
