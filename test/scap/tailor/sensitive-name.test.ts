/**
 * Which XCCDF Values are sensitive by name: secrets yes, policy settings that mention a password
 * no (masking those would hide what an auditor checks and make Vouch's set-values differ from
 * oscap's in XCCDF/ARF reports).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isSensitiveVariableName } from '../../../src/scap/variables/typed-variable.js';
import { SSG_DIR } from '../differential/oscap-reference.js';

describe('isSensitiveVariableName', () => {
  it.each([
    ['xccdf_org.ssgproject.content_value_var_grub2_password', true],
    ['var_bootloader_password_hash', true],
    ['var_root_passwd', true],
    ['var_luks_passphrase', true],
    ['var_app_api_token', true],
    ['var_app_api_key', true],
    ['var_ldap_bind_credentials', true],
    ['var_tls_private_key', true],
    ['var_client_secret', true],
    ['var_password_pam_minlen', false],
    ['var_sudo_passwd_timeout', false],
    ['var_accounts_passwords_pam_faillock_deny', false],
    ['var_password_hashing_algorithm', false],
    ['var_ssh_keysign', false],
    ['var_token_lifetime', false],
  ])('%s -> %s', (id, sensitive) => {
    expect(isSensitiveVariableName(id)).toBe(sensitive);
  });

  it.skipIf(!existsSync(join(SSG_DIR, 'ssg-ubuntu2204-ds.xml')))(
    'flags no Value of the SSG data streams',
    () => {
      for (const name of ['ubuntu2204', 'debian11']) {
        const text = readFileSync(join(SSG_DIR, `ssg-${name}-ds.xml`), 'utf8');
        const ids = [...text.matchAll(/<xccdf-1\.2:Value id="([^"]+)"/g)].map((m) => m[1] as string);
        expect(ids.length, name).toBeGreaterThan(100);
        expect(ids.filter(isSensitiveVariableName), name).toEqual([]);
      }
    },
  );
});
