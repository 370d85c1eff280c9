/**
 * rule.yml shapes met in the ComplianceAsCode repository (linux_os/guide, 2,110 rules, all import):
 * Jinja the store does not evaluate must still leave the YAML parseable and the fields right.
 */
import { describe, expect, it } from 'vitest';
import { parseRuleDir } from '../../src/store/cac/parse-rule.js';

function rule(yml: string) {
  return parseRuleDir(
    { id: 'r', groups: [], ruleYmlPath: '/x/r/rule.yml', ruleYml: yml, remediations: [], oval: undefined },
    'cac',
  );
}

describe('rule.yml with Jinja', () => {
  it.each([
    [
      'a top-level macro line (the OCIL entry)',
      'title: T\nseverity: low\n\n{{{ complete_ocil_entry_audit_syscall(syscall="chmod") }}}\n\nwarnings:\n    - general: x\n',
      { title: 'T', severity: 'low' },
    ],
    [
      'an indented macro line inside an if block',
      'title: T\n{{% if pkg_manager != "apt_get" %}}\n  {{{- complete_ocil_entry_package_removed("net-snmp") }}}\n{{% else %}}\n  {{{- x("snmp") }}}\n{{% endif %}}\n',
      { title: 'T' },
    ],
    [
      'a value that starts with an expression',
      'title: T\ntemplate:\n    name: key_value_pair_in_file\n    vars:\n        path: {{{ audisp_conf_path }}}/plugins.d/au-remote.conf\n',
      {
        template: {
          name: 'key_value_pair_in_file',
          vars: { path: '{{{ audisp_conf_path }}}/plugins.d/au-remote.conf' },
        },
      },
    ],
    [
      'quotes inside an expression inside quotes',
      "title: T\ntemplate:\n    name: file_groupowner\n    vars:\n        gid_or_name: '{{{ g if g else '0' }}}'\n",
      { template: { name: 'file_groupowner', vars: { gid_or_name: "{{{ g if g else '0' }}}" } } },
    ],
    [
      'the same key in two conditional blocks: the first stands',
      'title: T\n{{% if product == "ol8" %}}\nplatform: a\n{{% endif %}}\n\n{{% if product == "rhel8" %}}\nplatform: b\nwarnings:\n  - general: w\n{{% endif %}}\n',
      { platforms: ['a'] },
    ],
    [
      'a multi-line quoted string of macro calls',
      'title: T\n\ndescription: \'{{{ describe_file_owner(file="/etc/security/opasswd", owner="root") }}}\n{{{ describe_file_permissions(file="/etc/security/opasswd", perms="0600") }}}\'\n\nseverity: medium\n',
      {
        description:
          '{{{ describe_file_owner(file="/etc/security/opasswd", owner="root") }}} {{{ describe_file_permissions(file="/etc/security/opasswd", perms="0600") }}}',
        severity: 'medium',
      },
    ],
    [
      'a list filled by a macro',
      'title: T\n\nplatforms:\n{{{ rule_notapplicable_when_ovirt_installed() | indent(4)}}}\n\nseverity: high\n',
      { platforms: [], severity: 'high' },
    ],
    [
      'macro lines inside a block scalar stay text',
      'title: T\nocil: |-\n    {{{ ocil_service_enabled(service="rngd") }}}\n',
      { title: 'T' },
    ],
  ])('%s', (_name, yml, expected) => {
    expect(rule(yml)).toMatchObject(expected);
  });

  it('keeps line numbers right for errors after blanked Jinja', () => {
    expect(() => rule('title: T\n{{% if x %}}\n{{{ y() }}}\n{{% endif %}}\nseverity: urgent\n')).toThrow(
      /\/x\/r\/rule\.yml:5: severity: must be one of/,
    );
  });
});
