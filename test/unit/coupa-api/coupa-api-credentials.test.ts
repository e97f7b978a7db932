import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { after, before, describe, it } from 'node:test';
import { ApiCredentials, loadApiCredentials } from '../../../src/coupa-api/api-credentials.ts';
import { CoupaDlError } from '../../../src/domain/errors.ts';
import { tempDir, type TempDir } from '../../support/temp-dir.ts';

const SECRET = 'tiger-lily-42';

describe('API credentials', () => {
  let dir: string;
  let dirTemp: TempDir | undefined;
  const file = async (name: string, text: string) => {
    const path = join(dir, name);
    await writeFile(path, text);
    return path;
  };
  const invalid = (pattern: RegExp) => (error: unknown) => {
    assert.ok(error instanceof CoupaDlError);
    assert.equal(error.code, 'CONFIG_INVALID');
    assert.match(error.message, pattern);
    assert.ok(!error.message.includes(SECRET) && !(error.hint ?? '').includes(SECRET), 'no secret in the message');
    assert.match(error.hint ?? '', /COUPA_CLIENT_ID and COUPA_CLIENT_SECRET/);
    return true;
  };

  before(async () => {
    dirTemp = await tempDir('coupa-creds-');
    dir = dirTemp.path;
  });
  after(async () => {
    await dirTemp?.remove();
  });

  it('reads COUPA_CLIENT_ID and COUPA_CLIENT_SECRET from the environment', async () => {
    const credentials = await loadApiCredentials({ COUPA_CLIENT_ID: ' client-1 ', COUPA_CLIENT_SECRET: SECRET });
    assert.equal(credentials?.clientId, 'client-1');
    assert.deepEqual(credentials?.tokenRequestFields(), [['client_id', 'client-1'], ['client_secret', SECRET]]);
  });

  it('gives null when neither variable is set, so the browser remains the way in', async () => {
    assert.equal(await loadApiCredentials({}), null);
    assert.equal(await loadApiCredentials({ COUPA_CLIENT_ID: '', COUPA_CLIENT_SECRET: '  ' }), null);
  });

  it('names the missing half when only one variable is set', async () => {
    await assert.rejects(loadApiCredentials({ COUPA_CLIENT_ID: 'client-1' }), invalid(/COUPA_CLIENT_ID is set but COUPA_CLIENT_SECRET is not/));
    await assert.rejects(loadApiCredentials({ COUPA_CLIENT_SECRET: SECRET }), invalid(/COUPA_CLIENT_SECRET is set but COUPA_CLIENT_ID is not/));
  });

  it('reads a file of KEY=value lines (comments, export, quotes) in preference to the environment', async () => {
    const path = await file('creds.env', `# Coupa API\nexport COUPA_CLIENT_ID="from-file"\nCOUPA_CLIENT_SECRET='${SECRET}'\n`);
    const credentials = await loadApiCredentials({ COUPA_CLIENT_ID: 'from-env', COUPA_CLIENT_SECRET: 'env-secret' }, path);
    assert.equal(credentials?.clientId, 'from-file');
    assert.deepEqual(credentials?.tokenRequestFields()[1], ['client_secret', SECRET]);
  });

  it('reads a JSON file with client_id and client_secret', async () => {
    const path = await file('creds.json', JSON.stringify({ client_id: 'json-client', client_secret: SECRET }));
    assert.equal((await loadApiCredentials({}, path))?.clientId, 'json-client');
  });

  it('says what is wrong with an unreadable file or one that lacks a value', async () => {
    await assert.rejects(loadApiCredentials({}, join(dir, 'missing.env')), invalid(/Could not read the API credentials file .*missing\.env \(ENOENT\)/));
    const half = await file('half.env', `COUPA_CLIENT_SECRET=${SECRET}\n`);
    await assert.rejects(loadApiCredentials({}, half), invalid(/does not give the client id/));
    const broken = await file('broken.json', `{"client_secret": "${SECRET}"`);
    await assert.rejects(loadApiCredentials({}, broken), invalid(/does not give the client id or the client secret/));
  });

  it('never shows the secret when printed, serialised or inspected', () => {
    const credentials = new ApiCredentials('client-1', SECRET);
    for (const shown of [JSON.stringify(credentials), String(credentials), `${credentials.toString()}`, inspect(credentials), inspect({ nested: credentials }, { depth: 5 })]) {
      assert.ok(!shown.includes(SECRET), shown);
      assert.ok(shown.includes('client-1'), shown);
    }
  });
});
