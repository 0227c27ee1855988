// Steps the rating's browser tests share: Technical answers a request from its page, and the
// rating links of the customer's answer e-mail, as the demo's mail catcher received it.
import type { BrowserDemo } from './harness';

/** Signs in as Technical (English interface) and answers the request from its page. */
export async function answerAsTechnical(b: BrowserDemo, number: string, text = 'Перезапустили веб-сервер, сайт снова открывается.') {
  await b.signInAs(/Tech: Sergey/);
  await b.page.goto(`${b.base}/support/requests/${number}`);
  await b.page.getByLabel('Answer', { exact: true }).fill(text);
  await b.page.getByRole('button', { name: 'Send the answer' }).click();
  await b.page.waitForURL(`${b.base}/support/requests/${number}#reply`);
}

/** The path of a rating link (`good` or `bad`) in the answer e-mail of the request, waiting for it to arrive. */
export async function ratingLink(b: BrowserDemo, number: string, choice: 'good' | 'bad', ms = 5000): Promise<string> {
  const pattern = new RegExp(`https?://[^/\\s]+(/support/requests/${number}/rate\\?r=${choice}&sig=[0-9a-f]+)`);
  const until = Date.now() + ms;
  for (;;) {
    for (const mail of b.demo.catcher?.list() ?? []) {
      const found = pattern.exec(mail.text);
      if (found) return found[1] as string;
    }
    if (Date.now() > until) throw new Error(`no rating link for #${number} in the caught e-mail after ${ms} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Ivan opens a request for Technical, Technical answers it, and Ivan is signed in again; its number. */
export async function answeredRequest(b: BrowserDemo): Promise<string> {
  await b.signInAs('Войти: Иван Петров');
  await b.page.goto(`${b.base}/support/requests/new`);
  await b.submitTechnicalRequest('Медленно грузится сайт', 'Страницы открываются по 10 секунд.');
  const number = /\/(\d+)\?created=1$/.exec(b.page.url())?.[1] as string;
  await answerAsTechnical(b, number);
  await b.signInAs('Войти: Иван Петров');
  return number;
}
