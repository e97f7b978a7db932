import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_PO_PREFIX_RULE, parsePoNumber } from '../../../src/domain/po-number.ts';

const rule = DEFAULT_PO_PREFIX_RULE;

describe('parsePoNumber', () => {
  it('strips a PO or PM prefix in any case to get the page id', () => {
    assert.deepEqual(parsePoNumber('PO15262984', rule), { ok: true, poNumber: 'PO15262984', poId: '15262984' });
    assert.deepEqual(parsePoNumber('pm15262984', rule), { ok: true, poNumber: 'pm15262984', poId: '15262984' });
    assert.deepEqual(parsePoNumber('Po15262984', rule), { ok: true, poNumber: 'Po15262984', poId: '15262984' });
  });

  it('accepts a bare number, since by default the PO number is the id', () => {
    assert.deepEqual(parsePoNumber('15262984', rule), { ok: true, poNumber: '15262984', poId: '15262984' });
  });

  it('trims spaces, tabs and invisible characters around the number but keeps it as written', () => {
    assert.deepEqual(parsePoNumber(' \tPO15262984\u00A0\u200B', rule), { ok: true, poNumber: 'PO15262984', poId: '15262984' });
  });

  it('accepts one space, dash or underscore between prefix and digits', () => {
    for (const raw of ['PO 15262984', 'PO-15262984', 'PO_15262984']) {
      const parsed = parsePoNumber(raw, rule);
      assert.equal(parsed.ok && parsed.poId, '15262984', raw);
    }
  });

  it('drops leading zeros after a user-added prefix, as US0158122 opens order 158122', () => {
    const withUs = { prefixes: ['PO', 'PM', 'US'], minDigits: 6 };
    assert.deepEqual(parsePoNumber('US0158122', withUs), { ok: true, poNumber: 'US0158122', poId: '158122' });
  });

  it('counts leading zeros toward the minimum number of digits', () => {
    assert.equal(parsePoNumber('PO012345', rule).ok, true);
  });

  it('explains that too few digits make the PO invalid', () => {
    const parsed = parsePoNumber('PO12', rule);
    assert.equal(parsed.ok, false);
    assert.equal(
      !parsed.ok && parsed.problem,
      'Expected a PO number like PO15262984 (an optional PO/PM prefix and at least 6 digits), got `PO12` (only 2 digits).',
    );
  });

  it('suggests adding an unknown prefix to the setting', () => {
    const parsed = parsePoNumber('US0158122', rule);
    assert.equal(parsed.ok, false);
    assert.match(!parsed.ok ? parsed.problem : '', /got `US0158122`; if `US` is your company's prefix, add it with `--po-prefixes` \(or COUPA_PO_PREFIXES\), i\.e\. `--po-prefixes PO,PM,US`\./);
  });

  it('rejects an empty cell with a message', () => {
    const parsed = parsePoNumber('   ', rule);
    assert.deepEqual(parsed, {
      ok: false,
      poNumber: '',
      problem: 'The PO_NUMBER cell is empty; expected a PO number like PO15262984.',
    });
  });

  it('rejects text, decimals and all-zero numbers', () => {
    for (const raw of ['n/a', '15262984.5', 'PO15262984X', 'PO000000']) {
      const parsed = parsePoNumber(raw, rule);
      assert.equal(parsed.ok, false, raw);
      assert.match(!parsed.ok ? parsed.problem : '', new RegExp(`got \`${raw.replace('.', '\\.')}\``), raw);
    }
  });

  it('prefers the longest configured prefix', () => {
    const parsed = parsePoNumber('POX123456', { prefixes: ['PO', 'POX'], minDigits: 6 });
    assert.deepEqual(parsed, { ok: true, poNumber: 'POX123456', poId: '123456' });
  });

  it('honours a rule with no prefixes and a different minimum', () => {
    const strict = { prefixes: [], minDigits: 8 };
    assert.equal(parsePoNumber('PO15262984', strict).ok, false);
    assert.equal(parsePoNumber('1234567', strict).ok, false);
    assert.equal(parsePoNumber('12345678', strict).ok, true);
  });

  it('refuses a number longer than any Coupa id, and shows only its start (the fuzz test pasted a 1 MB cell, which ended "Unexpected error")', () => {
    const pasted = '9'.repeat(1024 * 1024);
    const parsed = parsePoNumber(pasted, rule);
    assert.equal(parsed.ok, false);
    assert.ok(!parsed.ok && parsed.problem.length < 300, 'the message stays short');
    assert.match(!parsed.ok ? parsed.problem : '', /1048576 digits; a Coupa id has at most 19/);
    assert.equal(parsePoNumber(`PO${'1'.repeat(19)}`, rule).ok, true);
    assert.equal(parsePoNumber(`PO${'1'.repeat(20)}`, rule).ok, false);
  });
});
