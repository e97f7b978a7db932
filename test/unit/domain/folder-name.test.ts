import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { finalFolderName, folderSegment, isPoFolderOf, parentSegments, poFolderName, workFolderName } from '../../../src/domain/folder-name.ts';

describe('folderSegment', () => {
  it('turns the earlier tool\'s unsafe characters and whitespace into underscores', () => {
    assert.equal(folderSegment('Acme & Sons <Ltd>: "A/B\\C|D?E*"'), 'Acme___Sons__Ltd____A_B_C_D_E__');
    assert.equal(folderSegment('Tab\tand\nnewline'), 'Tab_and_newline');
  });

  it('keeps at most 50 characters', () => {
    assert.equal(folderSegment('S'.repeat(80)).length, 50);
  });

  it('says Unknown when nothing is given', () => {
    assert.equal(folderSegment(''), 'Unknown');
    assert.equal(folderSegment('   '), 'Unknown');
    assert.equal(folderSegment('..'), 'Unknown');
  });

  it('makes Windows device names and trailing dots safe', () => {
    assert.equal(folderSegment('CON'), '_CON');
    assert.equal(folderSegment('aux.txt'), '_aux.txt');
    assert.equal(folderSegment('Acme Inc.'), 'Acme_Inc');
  });

  it('keeps Unicode supplier names', () => {
    assert.equal(folderSegment('Müller GmbH'), 'Müller_GmbH');
  });
});

describe('poFolderName', () => {
  it('puts PO_ in front unless the number already starts with PO', () => {
    assert.equal(poFolderName('PO15262984'), 'PO15262984');
    assert.equal(poFolderName('15262984'), 'PO_15262984');
    assert.equal(poFolderName('PM15262984'), 'PO_PM15262984');
  });

  it('does not add PO_ to a number that starts with po in another case', () => {
    assert.equal(poFolderName('po15262984'), 'po15262984');
    assert.equal(poFolderName('Po 15262984'), 'Po_15262984');
  });
});

describe('parentSegments', () => {
  it('uses the supplier when the sheet gives no folder levels', () => {
    assert.deepEqual(parentSegments({ poNumber: 'PO1', poId: '1', folderLevels: null }, 'Acme Corp'), ['Acme_Corp']);
    assert.deepEqual(parentSegments({ poNumber: 'PO1', poId: '1', folderLevels: null }, ''), ['Unknown']);
  });

  it('falls back to the sheet\'s SUPPLIER cell when the PO page shows no supplier', () => {
    const task = { poNumber: 'PO1', poId: '1', folderLevels: null, sheetSupplier: 'Acme Corp' };
    assert.deepEqual(parentSegments(task, ''), ['Acme_Corp']);
    assert.deepEqual(parentSegments(task, 'Page Supplier'), ['Page_Supplier']);
  });

  it('uses the sheet\'s levels instead of the supplier, Unknown for empty cells', () => {
    const task = { poNumber: 'PO1', poId: '1', folderLevels: ['Region EU', '', 'Q1'] };
    assert.deepEqual(parentSegments(task, 'Acme'), ['Region_EU', 'Unknown', 'Q1']);
  });
});

describe('PO folder names', () => {
  it('names the work and final folders after the PO folder', () => {
    assert.equal(workFolderName('PO_1'), 'PO_1__WORK');
    assert.equal(finalFolderName('PO_1', 'PARTIAL'), 'PO_1_PARTIAL');
  });

  it('recognises the same PO\'s folders from earlier attempts only', () => {
    assert.ok(isPoFolderOf('PO_1__WORK', 'PO_1'));
    assert.ok(isPoFolderOf('PO_1_FAILED', 'PO_1'));
    assert.ok(!isPoFolderOf('PO_12_FAILED', 'PO_1'));
    assert.ok(!isPoFolderOf('PO_1_other', 'PO_1'));
  });
});
