/**
 * `--engine oscap --target ssh://…` in the oscap-ssh manner, against a real sshd on loopback that
 * serves this machine itself (which has oscap): same results as `--engine oscap` run locally, and
 * nothing left in the remote temporary directory. Served chrooted into a fixture root (which has no
 * oscap), the scan stops with the package to install on that host.
 */
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixtureRoot } from '../../helpers/fixtures.js';
import { type Sshd, sshdAvailable, startSshd } from '../../targets/ssh/sshd-harness.js';
import { haveOscap, strippedDatastream } from '../differential/oscap-reference.js';
import { engineOf, verdicts, vouch, vouchJson } from './cli-harness.js';

const RULES = [
  'file_owner_etc_passwd',
  'file_permissions_etc_shadow',
  'accounts_maximum_age_login_defs',
  'sshd_set_max_auth_tries',
  'sysctl_net_ipv4_tcp_syncookies',
];
const hardened = fixtureRoot('hardened');

/** The remote temporary directories oscap-ssh style runs create (mktemp -t vouch-oscap.XXXXXXXXXX). */
async function remoteTempDirs(): Promise<string[]> {
  return (await readdir('/tmp')).filter((name) => name.startsWith('vouch-oscap.'));
}

describe.skipIf(!haveOscap() || !sshdAvailable())(
  '--engine oscap --target ssh://',
  { timeout: 180_000 },
  () => {
    let sshd: Sshd;
    let dir: string;
    let ds: string;
    beforeAll(async () => {
      dir = await mkdtemp(join(tmpdir(), 'vouch-oscap-ssh-test-'));
      ds = await strippedDatastream('ubuntu2204', dir);
      sshd = await startSshd();
    });
    afterAll(async () => {
      await sshd?.stop();
      if (dir) await rm(dir, { recursive: true, force: true });
    });
    const args = () => [
      'scan',
      '--datastream',
      ds,
      '--profile',
      'cis_level1_server',
      ...RULES.flatMap((r) => ['--rule', r]),
      '--engine',
      'oscap',
    ];
    const ssh = () => [
      '--target',
      sshd.url(),
      '--ssh-key',
      sshd.clientKey,
      '--ssh-known-hosts',
      sshd.knownHosts,
    ];

    it('gives the same results as oscap run locally, and leaves no temporary files on the host', async () => {
      const before = await remoteTempDirs();
      const remote = await vouchJson([...args(), ...ssh()]);
      const local = await vouchJson(args());
      expect(remote.result.summary.total).toBe(RULES.length);
      expect(verdicts(remote.result)).toEqual(verdicts(local.result));
      expect(remote.code).toBe(local.code);
      expect(remote.result.target.kind).toBe('ssh');
      expect(remote.result.results.every((r) => engineOf(r) === 'oscap')).toBe(true);
      expect(remote.result.results[0]?.evidence[0]?.detail).toContain(`ssh root@127.0.0.1:${sshd.port}`);
      expect(await remoteTempDirs()).toEqual(before);
    });
    it("cleans up the host also when oscap fails there, and reports oscap's complaint", async () => {
      // Vouch reads this tailoring; oscap's schema validation rejects its id.
      const tailoring = join(dir, 'bad-id.xml');
      await writeFile(
        tailoring,
        `<?xml version="1.0"?>
<xccdf-1.2:Tailoring xmlns:xccdf-1.2="http://checklists.nist.gov/xccdf/1.2" id="not-a-valid-tailoring-id">
  <xccdf-1.2:version time="2026-11-26T00:00:00">1</xccdf-1.2:version>
  <xccdf-1.2:Profile id="xccdf_org.vouch_profile_bad" extends="xccdf_org.ssgproject.content_profile_cis_level1_server">
    <xccdf-1.2:title>bad</xccdf-1.2:title>
  </xccdf-1.2:Profile>
</xccdf-1.2:Tailoring>
`,
      );
      const before = await remoteTempDirs();
      const r = await vouch([
        'scan',
        '--datastream',
        ds,
        '--tailoring',
        tailoring,
        '--profile',
        'xccdf_org.vouch_profile_bad',
        '--rule',
        'file_owner_etc_passwd',
        '--engine',
        'oscap',
        ...ssh(),
      ]);
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(/^vouch: ssh root@127\.0\.0\.1:\d+: oscap xccdf eval failed \(exit 1\): /);
      expect(r.stderr).toContain("The value 'not-a-valid-tailoring-id' is not accepted by the pattern");
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(await remoteTempDirs()).toEqual(before);
    });
  },
);

describe.skipIf(!haveOscap() || !sshdAvailable() || !hardened)(
  '--engine oscap on a host without oscap',
  () => {
    let sshd: Sshd;
    let dir: string;
    beforeAll(async () => {
      dir = await mkdtemp(join(tmpdir(), 'vouch-oscap-ssh-test-'));
      sshd = await startSshd({ chroot: hardened as string });
    });
    afterAll(async () => {
      await sshd?.stop();
      if (dir) await rm(dir, { recursive: true, force: true });
    });

    it('says which package to install on that host', async () => {
      const ds = await strippedDatastream('ubuntu2204', dir);
      const r = await vouch([
        'scan',
        '--datastream',
        ds,
        '--profile',
        'cis_level1_server',
        '--rule',
        'file_owner_etc_passwd',
        '--engine',
        'oscap',
        '--target',
        sshd.url(),
        '--ssh-key',
        sshd.clientKey,
        '--ssh-known-hosts',
        sshd.knownHosts,
      ]);
      expect(r.code).toBe(1);
      expect(r.stderr.trim()).toMatch(
        /^vouch: ssh root@127\.0\.0\.1:\d+: oscap not found \(not on the PATH of .*install the Debian package openscap-scanner .* on that host$/,
      );
    });
  },
);
