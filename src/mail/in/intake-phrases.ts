// The words the intake writes into a thread itself (model/inbound.ts IntakePhrases), in the
// plugin's default language: staff and the customer both read the thread.
import type { Locale } from '../../host';
import type { Catalog } from '../../i18n';
import type { IntakePhrases } from '../../model/inbound';

export function intakePhrases(catalog: Catalog, locale: Locale): IntakePhrases {
  const t = catalog.translator(locale);
  return {
    refusedFiles: (files) => [t('mailIn.refusedFiles'), ...files.map((f) => `— ${f.name}: ${t(`mailIn.refusedWhy.${f.why}`)}`)].join('\n'),
    filesOnly: t('mailIn.filesOnly'),
    noSubject: t('mailIn.noSubject'),
    sentBy: (name, address) => t('mailIn.sentBy', { sender: name ? `${name} <${address}>` : address }),
  };
}
