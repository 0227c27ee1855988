// A canned reply put to work on a request: placeholders filled from the request, the customer's
// language first, and which replies deserve a language warning.
import assert from 'node:assert/strict';
import { fillPlaceholders, forCustomer, inOtherLanguage } from '../../src/domain/canned-text';
import type { CannedReply } from '../../src/model/types';

const reply = (id: number, title: string, locale: CannedReply['locale']): CannedReply => ({
  id,
  departmentId: 1,
  title,
  body: title,
  locale,
  createdAt: 0,
  updatedAt: 0,
});

describe('canned replies on a request', () => {
  it('fills {customer_name}, {number} and {service}, every time they appear, and nothing else', () => {
    const ticket = { customerName: 'Alice Smith', number: '12345678', serviceLabel: 'VPS Cloud-4' };
    assert.deepEqual(fillPlaceholders('Hi {customer_name}! #{number} ({service}); {number} again. {name} {Number}', ticket), {
      body: 'Hi Alice Smith! #12345678 (VPS Cloud-4); 12345678 again. {name} {Number}',
      unfilled: [],
    });
  });

  it('leaves {service} in place, and says so, when the request names no service', () => {
    const ticket = { customerName: 'Иван', number: '1', serviceLabel: null };
    assert.deepEqual(fillPlaceholders('Услуга «{service}», {customer_name}', ticket), {
      body: 'Услуга «{service}», Иван',
      unfilled: ['service'],
    });
  });

  it('a value with braces or $ signs is put in as it is', () => {
    const ticket = { customerName: '$& {number}', number: '7', serviceLabel: '$1' };
    assert.equal(fillPlaceholders('{customer_name} {service}', ticket).body, '$& {number} $1');
  });

  it("orders the customer's language first, then any language, then the others, by title", () => {
    const list = [reply(1, 'b ru', 'ru'), reply(2, 'a en', 'en'), reply(3, 'z any', null), reply(4, 'a ru', 'ru')];
    assert.deepEqual(
      forCustomer(list, 'en').map((r) => r.id),
      [2, 3, 4, 1],
    );
    assert.deepEqual(
      forCustomer(list, 'ru').map((r) => r.id),
      [4, 1, 3, 2],
    );
    assert.deepEqual(
      forCustomer(list, null).map((r) => r.id),
      [3, 2, 4, 1],
      'no known language: any-language replies first',
    );
  });

  it('warns only when both languages are known and differ', () => {
    assert.equal(inOtherLanguage(reply(1, 'x', 'ru'), 'en'), true);
    assert.equal(inOtherLanguage(reply(1, 'x', 'en'), 'en'), false);
    assert.equal(inOtherLanguage(reply(1, 'x', null), 'en'), false);
    assert.equal(inOtherLanguage(reply(1, 'x', 'ru'), null), false);
  });
});
