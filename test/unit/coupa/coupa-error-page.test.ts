import assert from 'node:assert/strict';
import { test } from 'node:test';
import { errorPageStatus } from '../../../src/coupa/error-page.ts';

test('reads "not authorized" in the languages customers show it, typographic apostrophes included', () => {
  for (const text of [
    'Sorry, you’re not authorized to view this page.',
    'Sie sind nicht berechtigt, diese Seite anzuzeigen.',
    'Vous n’êtes pas autorisé à consulter cette page.',
    'Você não tem permissão para acessar esta página.',
    'Usted no tiene permiso para ver esta página.',
    'Access denied',
  ]) {
    assert.equal(errorPageStatus(text), 'ACCESS_DENIED', text);
  }
});

test('anything else an error page says is PO_NOT_FOUND, unless the user named it as access denied', () => {
  assert.equal(errorPageStatus('Oups ! Nous n’avons pas trouvé ce que vous cherchiez.'), 'PO_NOT_FOUND');
  assert.equal(errorPageStatus('Hoppla! Wir konnten nicht finden, wonach Sie gesucht haben.'), 'PO_NOT_FOUND');
  assert.equal(errorPageStatus('Brak dostępu do tej strony'), 'PO_NOT_FOUND');
  assert.equal(errorPageStatus('Brak dostępu do tej strony', ['brak dostępu']), 'ACCESS_DENIED');
});
