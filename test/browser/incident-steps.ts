// Steps the incident browser tests share: the id of Ivan's VPS as his create form offers it, and
// an incident declared for it by the Technical staff member (English interface) through the form.
import type { BrowserDemo } from './harness';

export const INCIDENT = {
  titleRu: 'Недоступен VPS в Москве',
  bodyRu: 'Отказал коммутатор в стойке, инженеры уже на месте. Ориентировочно к 15:00.',
  titleEn: 'VPS in Moscow unavailable',
  bodyEn: 'A rack switch failed; engineers are on site. Expected by 15:00.',
};

/** The service id of Ivan's VPS, read from his create form. */
export async function ivansVpsId(b: BrowserDemo): Promise<string> {
  await b.signInAs('Войти: Иван Петров');
  await b.page.goto(`${b.base}/support/requests/new`);
  return (await b.page.locator('#serviceId option', { hasText: 'VPS Cloud-2' }).getAttribute('value')) as string;
}

/** Declares the incident for these service ids as Tech: Sergey; leaves the browser on its page. */
export async function declareIncident(b: BrowserDemo, serviceIds: string): Promise<void> {
  const { page } = b;
  await b.signInAs(/Tech: Sergey/);
  await page.goto(`${b.base}/support/requests`);
  await page.getByRole('link', { name: 'Incidents', exact: true }).click();
  await page.getByRole('link', { name: 'Declare an incident' }).click();
  await page.getByLabel('Title (ru)').fill(INCIDENT.titleRu);
  await page.getByLabel('Text for customers (ru)').fill(INCIDENT.bodyRu);
  await page.getByLabel('Title (en)').fill(INCIDENT.titleEn);
  await page.getByLabel('Text for customers (en)').fill(INCIDENT.bodyEn);
  await page.getByLabel('Specific services').check();
  await page.getByLabel('Service IDs').fill(serviceIds);
  await page.getByRole('button', { name: 'Declare an incident' }).click();
  await page.waitForURL(/\/support\/requests\/incidents\/\d+\?done=declared$/);
}
