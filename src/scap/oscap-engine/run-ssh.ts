/**
 * oscap on a remote host, in the oscap-ssh manner: a private temporary directory on the host
 * (`mktemp -d`, mode 0700), the data stream (and tailoring, CPE dictionary) uploaded into it over
 * SFTP, `oscap xccdf eval` run there (under `sudo -n` with --ssh-sudo; the results are then handed
 * back to the login user, as oscap-ssh does), the ARF fetched back, and the directory removed
 * whatever happened. Nothing is installed; the host needs oscap (openscap-scanner) itself.
 */
import type { Client, SFTPWrapper } from 'ssh2';
import { VouchError } from '../../core/errors.js';
import { connectSsh } from '../../targets/ssh/connect.js';
import { runRemote } from '../../targets/ssh/remote-exec.js';
import type { SshTargetOptions } from '../../targets/ssh/ssh-options.js';
import { missingProgram } from './locate.js';
import { type OscapEvalInput, oscapComplaint, oscapEvalArgs, oscapSucceeded } from './oscap-args.js';
import type { OscapProcessResult } from './run-local.js';

export interface RemoteOscapFiles {
  datastream: string;
  tailoring?: string | undefined;
  cpe?: string | undefined;
  /** Local paths the ARF (and XCCDF results) are fetched to. */
  arf: string;
  xccdf?: string | undefined;
}

export interface RemoteOscapResult extends OscapProcessResult {
  /** `user@host:port` */
  label: string;
  /** The remote temporary directory (already removed). */
  remoteDir: string;
}

/** oscap on a host can take a while (a whole profile over a big filesystem). */
const OSCAP_TIMEOUT_MS = 60 * 60 * 1000;
const HELPER_TIMEOUT_MS = 60_000;

const put = (sftp: SFTPWrapper, local: string, remote: string) =>
  new Promise<void>((resolve, reject) => sftp.fastPut(local, remote, (e) => (e ? reject(e) : resolve())));
const get = (sftp: SFTPWrapper, remote: string, local: string) =>
  new Promise<void>((resolve, reject) => sftp.fastGet(remote, local, (e) => (e ? reject(e) : resolve())));

export async function runOscapSsh(
  ssh: SshTargetOptions,
  files: RemoteOscapFiles,
  eval_: Omit<OscapEvalInput, 'datastream' | 'tailoring' | 'cpe' | 'arf' | 'xccdf'>,
): Promise<RemoteOscapResult> {
  const { client, label } = await connectSsh(ssh);
  const sudo = ssh.sudo === true;
  const fail = (code: string, message: string) => new VouchError(code, `ssh ${label}: ${message}`);
  let sftp: SFTPWrapper | undefined;
  let remoteDir: string | undefined;
  try {
    const which = await runRemote(client, ['sh', '-c', 'command -v oscap'], { timeoutMs: HELPER_TIMEOUT_MS });
    if (which.exitCode !== 0) {
      const error = missingProgram('oscap', `not on the PATH of ${label}`, '--engine oscap --target');
      throw new VouchError(error.code, `ssh ${label}: ${error.message} on that host`);
    }
    const made = await runRemote(client, ['mktemp', '-d', '-t', 'vouch-oscap.XXXXXXXXXX'], {
      timeoutMs: HELPER_TIMEOUT_MS,
    });
    remoteDir = made.stdout.toString('utf8').trim();
    if (made.exitCode !== 0 || !remoteDir.startsWith('/')) {
      throw fail('OSCAP_SSH', `cannot create a temporary directory (mktemp -d): ${made.stderr.trim()}`);
    }
    sftp = await openSftp(client, label);
    const dir = remoteDir;
    const remote = {
      datastream: `${dir}/input.xml`,
      tailoring: files.tailoring ? `${dir}/tailoring.xml` : undefined,
      cpe: files.cpe ? `${dir}/cpe.xml` : undefined,
      arf: `${dir}/results-arf.xml`,
      xccdf: files.xccdf ? `${dir}/results.xml` : undefined,
    };
    await put(sftp, files.datastream, remote.datastream);
    if (files.tailoring && remote.tailoring) await put(sftp, files.tailoring, remote.tailoring);
    if (files.cpe && remote.cpe) await put(sftp, files.cpe, remote.cpe);
    const args = oscapEvalArgs({ ...eval_, ...remote });
    const argv = sudo
      ? // oscap writes its results as root: hand them back to the login user so SFTP can fetch them.
        [
          'sudo',
          '-n',
          '--',
          'sh',
          '-c',
          // biome-ignore lint/suspicious/noTemplateCurlyInString: a shell parameter expansion, not a template
          'd=$1; shift; oscap "$@"; rc=$?; chown -R "${SUDO_UID:-0}" "$d"; exit $rc',
          'sh',
          dir,
          ...args,
        ]
      : ['env', 'LC_ALL=C', 'oscap', ...args];
    const start = performance.now();
    const ran = await runRemote(client, argv, { timeoutMs: OSCAP_TIMEOUT_MS, maxStdoutBytes: 0 });
    const wallMs = performance.now() - start;
    if (!oscapSucceeded(ran.exitCode)) {
      throw fail(
        'OSCAP_FAILED',
        `oscap xccdf eval failed (${ran.timedOut ? 'timed out' : `exit ${ran.exitCode}`}): ${oscapComplaint(ran.stderr)}`,
      );
    }
    await get(sftp, remote.arf, files.arf);
    if (files.xccdf && remote.xccdf) await get(sftp, remote.xccdf, files.xccdf);
    return { exitCode: ran.exitCode, stderr: ran.stderr, wallMs, label, remoteDir: dir };
  } finally {
    sftp?.end();
    if (remoteDir?.startsWith('/')) {
      // Always removed, also after a failure; under sudo in case oscap left root-owned files.
      await runRemote(client, [...(sudo ? ['sudo', '-n', '--'] : []), 'rm', '-rf', '--', remoteDir], {
        timeoutMs: HELPER_TIMEOUT_MS,
      }).catch(() => undefined);
    }
    client.end();
  }
}

function openSftp(client: Client, label: string): Promise<SFTPWrapper> {
  return new Promise((resolve, reject) => {
    client.sftp((error, session) =>
      error
        ? reject(
            new VouchError('SSH_NO_SFTP', `ssh ${label}: cannot start the SFTP subsystem (${error.message})`),
          )
        : resolve(session),
    );
  });
}
