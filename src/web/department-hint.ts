// What the create form's department hint (views/partials/department-hint.ejs) needs: the data
// the browser suggests from while the customer types, and, for a form shown again after a
// refusal, the hint already worked out here, so it is there without JavaScript too.
import type { Locale } from '../host';
import type { Department } from '../model/types';
import { departmentSuggester } from '../domain/department-suggestion';
import type { Translate } from '../i18n';

export interface DepartmentHintView {
  /** The script's address (web/department-hint-script.ts). */
  script: string;
  /** JSON for the script: the page's language, the sentences, and each department's name, keywords and guidance. */
  data: string;
  /** The hint as the page opens: the department it names and its sentence; null when there is none. */
  shown: { departmentId: number; text: string } | null;
}

interface TypedForm {
  subject: string;
  message: string;
  /** The department chosen, as the form sent it. */
  departmentId: string;
}

export function departmentHint(
  departments: Department[],
  values: TypedForm,
  t: Translate,
  locale: Locale,
  script: string,
): DepartmentHintView {
  const sources = departments.map((d) => ({ id: d.id, name: d.name[locale], keywords: d.keywords, guidance: d.guidance }));
  const found = departmentSuggester(sources)(`${values.subject}\n${values.message}`, locale);
  const named = found && found.departmentId !== Number(values.departmentId) ? sources.find((d) => d.id === found.departmentId) : undefined;
  const shown =
    found && named
      ? {
          departmentId: named.id,
          text: found.topic
            ? t('suggest.withTopic', { topic: found.topic, department: named.name })
            : t('suggest.plain', { department: named.name }),
        }
      : null;
  const data = {
    locale,
    // With {topic} and {department} in them, for the script to fill in.
    withTopic: t('suggest.withTopic'),
    plain: t('suggest.plain'),
    choose: t('suggest.choose'),
    departments: sources,
  };
  return { script, data: JSON.stringify(data), shown };
}
