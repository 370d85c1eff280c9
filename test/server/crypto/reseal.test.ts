import { randomBytes } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { resealScanConfigSecrets } from '../../../src/server/crypto/reseal.js';
import { SECRET_PLACES, SecretBox } from '../../../src/server/crypto/secrets.js';
import { newId } from '../../../src/server/storage/ids.js';
import type { Storage } from '../../../src/server/storage/index.js';
import { storageBackends } from '../storage/backends.js';
import type { OpenedStorage } from '../storage/contract.js';

describe.each(await storageBackends())(
  'resealing scan-config secrets after a key rotation: $name',
  ({ open }) => {
    let opened: OpenedStorage;
    let s: Storage;
    let orgId: string;

    beforeEach(async () => {
      opened = await open({});
      s = opened.storage;
      await s.migrate();
      orgId = (await s.organisations.create({ name: 'acme' })).id;
    });
    afterEach(async () => {
      await opened.dispose();
    });

    async function scanConfig(name: string, seal: (id: string) => string | null): Promise<string> {
      const id = newId();
      const at = new Date().toISOString();
      await s.db
        .insertInto('scan_configs')
        .values({
          id,
          org_id: orgId,
          name,
          profile_id: 'p',
          target_ids: null,
          label_selector: null,
          variables: '{}',
          variables_encrypted: seal(id),
          schedule: null,
          created_at: at,
          updated_at: at,
        })
        .execute();
      return id;
    }

    const sealedOf = async (id: string) =>
      (
        await s.db
          .selectFrom('scan_configs')
          .select('variables_encrypted')
          .where('id', '=', id)
          .executeTakeFirstOrThrow()
      ).variables_encrypted;

    it('moves every value to the new key, skips what it cannot open, and is idempotent', async () => {
      const k1 = randomBytes(32);
      const k2 = randomBytes(32);
      const before = new SecretBox({ current: k1, old: [] });
      const ids: string[] = [];
      for (let i = 0; i < 250; i++) {
        ids.push(
          await scanConfig(`c${i}`, (id) =>
            before.seal(`{"pw":"${i}"}`, SECRET_PLACES.scanConfigVariables(id)),
          ),
        );
      }
      await scanConfig('plain', () => null);
      const foreign = await scanConfig('foreign', (id) =>
        new SecretBox({ current: randomBytes(32), old: [] }).seal('x', SECRET_PLACES.scanConfigVariables(id)),
      );

      const rotated = new SecretBox({ current: k2, old: [k1] });
      const report = await resealScanConfigSecrets(s, rotated);
      expect(report).toEqual({ checked: 251, resealed: 250, undecryptable: [foreign] });

      const onlyNew = new SecretBox({ current: k2, old: [] });
      for (const [i, id] of ids.entries()) {
        expect(onlyNew.open((await sealedOf(id))!, SECRET_PLACES.scanConfigVariables(id))).toEqual({
          plaintext: `{"pw":"${i}"}`,
          stale: false,
        });
      }
      expect(await resealScanConfigSecrets(s, rotated)).toEqual({
        checked: 251,
        resealed: 0,
        undecryptable: [foreign],
      });
    });
  },
);
