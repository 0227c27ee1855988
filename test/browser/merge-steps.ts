// Steps the merge's browser tests share: two requests of one customer, and the staff member's way
// from the second one's page to the confirmation page through the merge form.
import type { BrowserDemo } from './harness';

/** Ivan (Russian) opens two requests for Technical; their numbers, older first. */
export async function twoRequests(b: BrowserDemo, subjects: [string, string]): Promise<[string, string]> {
  await b.signInAs('Войти: Иван Петров');
  const numbers: string[] = [];
  for (const subject of subjects) {
    await b.page.goto(`${b.base}/support/requests/new`);
    await b.submitTechnicalRequest(subject, `${subject}: подробности в сообщении, журнал приложу позже.`);
    numbers.push(/\/(\d+)\?created=1$/.exec(b.page.url())?.[1] as string);
  }
  return numbers as [string, string];
}

/**
 * Technical (English interface) opens request `from`, picks `into` among the customer's open
 * requests in the merge form and continues: the confirmation page is open when it returns.
 */
export async function toMergeConfirmation(b: BrowserDemo, from: string, into: string): Promise<void> {
  await b.signInAs(/Tech: Sergey/);
  await b.page.goto(`${b.base}/support/requests/${from}`);
  await b.page.getByLabel('The customer’s open requests').selectOption({ value: into });
  await b.page.getByLabel('Merge: move the thread there').check();
  await b.page.getByRole('button', { name: 'Continue' }).click();
  await b.page.waitForURL(new RegExp(`/support/requests/${from}/merge\\?`));
}
