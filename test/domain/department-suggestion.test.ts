// The department the create form suggests, on the three departments' default keywords and
// guidance (as the first migration seeds them): realistic customer texts in Russian and English,
// each with the department it is for, or none when the text is vague or mixed.
import assert from 'node:assert/strict';
import { STANDARD_DEPARTMENTS } from '../../migrations/001_departments';
import { departmentSuggester } from '../../src/domain/department-suggestion';
import { checkKeywords, keywordsText } from '../../src/domain/department-keywords';
import type { Problem } from '../../src/model/errors';

const CODES = STANDARD_DEPARTMENTS.map((d) => d.code);
const suggest = departmentSuggester(
  STANDARD_DEPARTMENTS.map((d, i) => ({ id: i + 1, keywords: d.keywords, guidance: { ru: d.guidance_ru, en: d.guidance_en } })),
);
const codeOf = (text: string, locale = 'ru') => {
  const found = suggest(text, locale);
  return found ? CODES[found.departmentId - 1] : null;
};

const EXPECTED: Array<[text: string, code: string | null]> = [
  // The support page's own examples.
  ['Пополнение баланса', 'client_relations'],
  ['Проблемы с доступностью к репозиториям', 'technical'],
  // Client relations: payments, tariffs, buying, the referral programme, documents.
  ['Не могу пополнить баланс картой, платёж отклонён', 'client_relations'],
  ['Оплатил счёт вчера, а деньги так и не зачислились', 'client_relations'],
  ['Верните деньги за домен, купил по ошибке', 'client_relations'],
  ['Как сменить тариф на VPS на более мощный?', 'client_relations'],
  ['Как работает реферальная программа и где моя ссылка?', 'client_relations'],
  ['Пришлите, пожалуйста, акт сверки и закрывающие документы', 'client_relations'],
  ['Почему со счёта списали больше, чем стоит тариф?', 'client_relations'],
  // Technical: setup, network, mail, access, the server, backups.
  ['Как настроить DNS для домена', 'technical'],
  ['Не могу подключиться по SSH к серверу', 'technical'],
  ['Не работает почта на хостинге, письма не уходят', 'technical'],
  ['Нужна консультация по установке WordPress', 'technical'],
  ['Сервер стал медленно работать, высокая нагрузка на процессор', 'technical'],
  ['Восстановите, пожалуйста, бэкап сайта за прошлую неделю', 'technical'],
  ['Нужен PTR для IP-адреса', 'technical'],
  // Emergency: outages, attacks, urgency.
  ['Сервер упал, сайт недоступен уже полчаса', 'emergency'],
  ['Срочно! DDoS-атака на наш сервер', 'emergency'],
  ['Сайт отдаёт 502 с утра', 'emergency'],
  ['Сайт не открывается, клиенты не могут сделать заказ', 'emergency'],
  ['Нас взломали, на сервере майнер', 'emergency'],
  ['Ёлки, всё лежит!', 'emergency'],
  // Vague or mixed: no suggestion.
  ['Здравствуйте, у меня вопрос', null],
  ['Помогите, пожалуйста', null],
  ['Вопрос по VPS', null],
  ['Оплатил сервер, а он не работает', null],
  ['Сайт не работает', null],
  ['Ошибка при оплате картой', null],
  ['', null],
  // English.
  ['How do I top up my balance?', 'client_relations'],
  ['Refund for a domain I bought by mistake', 'client_relations'],
  ['Please move me to a cheaper plan, the price went up', 'client_relations'],
  ['The invoice shows the wrong VAT', 'client_relations'],
  ['Where is my referral link?', 'client_relations'],
  ['Cannot connect over SSH after a reboot', 'technical'],
  ['Please set up reverse DNS (PTR) for my IP', 'technical'],
  ['E-mail from my domain lands in spam', 'technical'],
  ['How do I restore a backup of the database?', 'technical'],
  ['Our server is down and the site is unreachable', 'emergency'],
  ['We are under a DDoS attack, urgent!', 'emergency'],
  ['Site returns 503 since midnight', 'emergency'],
  ['Hello, I have a question', null],
  ['Help please', null],
  ['Paid for the VPS but it is not working', null],
  ['Payment error', null],
];

describe('domain: department suggestion', () => {
  for (const [text, code] of EXPECTED) {
    it(`${JSON.stringify(text)} → ${code ?? 'no suggestion'}`, () => {
      assert.equal(codeOf(text, /[а-яё]/i.test(text) ? 'ru' : 'en'), code);
    });
  }

  it('names the topic of the words that weighed most, in the page’s language', () => {
    assert.equal(suggest('Не могу оплатить, пополнение баланса не проходит', 'ru')?.topic, 'об оплате');
    assert.equal(suggest('Хочу сменить тариф', 'ru')?.topic, 'о тарифе');
    assert.equal(suggest('Сервер упал', 'ru')?.topic, 'о сбое');
    assert.equal(suggest('Refund please', 'en')?.topic, 'about payment');
    // English words on a Russian page: the department, but no English topic in a Russian sentence.
    const mixed = suggest('refund please', 'ru');
    assert.equal(mixed && CODES[mixed.departmentId - 1], 'client_relations');
    assert.equal(mixed?.topic, null);
  });

  it('matches stems in any case, with ё as е, and phrases word after word', () => {
    assert.equal(suggest('ОПЛАТИЛИ', 'ru')?.because, 'оплат');
    assert.equal(suggest('пришлите чёк', 'ru')?.because, 'чек');
    assert.equal(suggest('почта НЕ РАБОТАЕТ', 'ru')?.because, 'не работает');
    // The words of a phrase must follow each other.
    assert.equal(codeOf('работает, но не всегда'), null);
  });

  it('lets the guidance tip a department without keywords, lightly', () => {
    const plain = departmentSuggester([
      { id: 1, keywords: {}, guidance: { ru: 'Лицензии Windows и панели управления ISPmanager.' } },
      { id: 2, keywords: {}, guidance: { ru: 'Колокейшн: размещение вашего оборудования в стойке.' } },
    ]);
    assert.equal(plain('Продлите лицензию ISPmanager', 'ru')?.departmentId, 1);
    // One guidance word alone is not enough.
    assert.equal(plain('Где моя лицензия?', 'ru'), null);
  });
});

describe('domain: department keywords as admins type them', () => {
  const check = (text: string) => {
    const problems: Record<string, Problem> = {};
    return { groups: checkKeywords(problems, 'keywordsRu', text), problem: problems.keywordsRu ?? null };
  };

  it('reads "topic: word, word" lines, and lines without a topic', () => {
    const { groups, problem } = check('об оплате: оплат,  платёж ;счёт\n\n  возврат, вернуть   деньги \nоплата: Оплат, оплат');
    assert.equal(problem, null);
    assert.deepEqual(groups, [
      { topic: 'об оплате', words: ['оплат', 'платёж', 'счёт'] },
      { topic: '', words: ['возврат', 'вернуть деньги'] },
      { topic: 'оплата', words: ['Оплат'] },
    ]);
    assert.equal(keywordsText(groups), 'об оплате: оплат, платёж, счёт\nвозврат, вернуть деньги\nоплата: Оплат');
  });

  it('refuses a one-letter keyword, a topic without keywords, and what is too long', () => {
    assert.deepEqual(check('оплата: о, оплат').problem, { key: 'errors.department.keywordTooShort', params: { keyword: 'о' } });
    assert.deepEqual(check('об оплате:').problem, { key: 'errors.department.topicWithoutKeywords', params: { topic: 'об оплате' } });
    assert.equal(check(`тема: ${'а'.repeat(41)}`).problem?.key, 'errors.department.keywordTooLong');
    assert.equal(check(`${'т'.repeat(61)}: оплат`).problem?.key, 'errors.department.topicTooLong');
    assert.equal(check(`оплат, ${'платёж, '.repeat(400)}`).problem?.key, 'errors.department.keywordsTooLong');
  });
});
