import { hash32 } from '../seeded-random.ts';
import type { JsonObject } from './json-value.ts';

/**
 * The parts of a full Coupa record coupa-dl never reads (people, addresses, money, terms). They
 * are there so that a full answer weighs what a real one does and trimming has something to trim.
 * Shapes follow the element names of Coupa's R39 OpenAPI spec; values are invented.
 */

const PEOPLE = [
  ['ana.silva', 'Ana', 'Silva'],
  ['jonas.weber', 'Jonas', 'Weber'],
  ['maria.rossi', 'Maria', 'Rossi'],
  ['kenji.sato', 'Kenji', 'Sato'],
  ['emma.brown', 'Emma', 'Brown'],
] as const;

/** Coupa's format: `YYYY-MM-DDTHH:MM:SS+HH:MM`. */
export function coupaTime(minutesAfterStart: number): string {
  const date = new Date(Date.UTC(2025, 2, 1, 9, 0, 0) + minutesAfterStart * 60_000);
  return `${date.toISOString().slice(0, 19)}+00:00`;
}

export function user(key: string): JsonObject {
  const index = hash32(`user:${key}`) % PEOPLE.length;
  const [login, firstname, lastname] = PEOPLE[index] ?? PEOPLE[0];
  return { id: 4000 + index, login, email: `${login}@buyer.example.com`, firstname, lastname, 'employee-number': `E${String(70_000 + index * 13)}` };
}

export function address(key: string): JsonObject {
  const index = hash32(`address:${key}`) % 9;
  return {
    id: 6000 + index,
    name: `Site ${String(index + 1)}`,
    'location-code': `LOC-${String(100 + index)}`,
    street1: `${String(10 + index * 7)} Industrial Road`,
    street2: `Building ${String.fromCharCode(65 + index)}`,
    city: ['Lisboa', 'Berlin', 'Chicago', 'Osaka', 'Leeds'][index % 5] ?? 'Lisboa',
    state: null,
    'postal-code': String(10_000 + index * 1111),
    attention: 'Receiving dock',
    active: true,
    country: { id: 20 + (index % 5), code: ['PT', 'DE', 'US', 'JP', 'GB'][index % 5] ?? 'PT', name: ['Portugal', 'Germany', 'United States', 'Japan', 'United Kingdom'][index % 5] ?? 'Portugal' },
    'created-at': coupaTime(-100_000 + index),
    'updated-at': coupaTime(-50_000 + index),
  };
}

export const CURRENCY: JsonObject = { id: 3, code: 'EUR', decimals: 2, enabled: true, 'created-at': coupaTime(-500_000), 'updated-at': coupaTime(-400_000) };

export const PAYMENT_TERM: JsonObject = { id: 11, code: 'Net 30', description: 'Payment due 30 days after invoice', 'days-for-net-payment': 30, 'discount-rate': null, active: true };

export const SHIPPING_TERM: JsonObject = { id: 7, code: 'DAP', description: 'Delivered at place', active: true };

export const UOM: JsonObject = { id: 1, code: 'EA', name: 'Each', 'allowable-precision': 0, active: true };

export function account(key: string): JsonObject {
  const index = hash32(`account:${key}`) % 7;
  const code = `${String(4000 + index * 10)}-${String(200 + index)}-${String(30 + index)}`;
  return { id: 9000 + index, name: `Operations ${code}`, code, active: true, 'segment-1': code.slice(0, 4), 'segment-2': code.slice(5, 8), 'segment-3': code.slice(9), 'account-type': { id: 2, name: 'Main chart of accounts' } };
}

export function commodity(key: string): JsonObject {
  const index = hash32(`commodity:${key}`) % 5;
  return { id: 300 + index, name: ['IT hardware', 'Office furniture', 'Professional services', 'Safety equipment', 'Software'][index] ?? 'IT hardware', active: true, 'deductibility': null };
}
