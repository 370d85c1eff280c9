import { describe, expect, it } from 'vitest';
import { parseGroup, parsePasswd, parseShadow } from './account-files.js';

describe('passwd', () => {
  it('parses entries with line numbers, skipping comments, NIS and malformed lines', () => {
    const text = [
      'root:x:0:0:root:/root:/bin/bash',
      '# comment',
      '',
      'daemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin',
      'broken:x:notanumber:1::/:/bin/sh',
      'short:x:5:5',
      '+@netgroup::::::',
      'nosh:x:7:7:::',
    ].join('\n');
    expect(parsePasswd(text)).toEqual([
      {
        name: 'root',
        password: 'x',
        uid: 0,
        gid: 0,
        gecos: 'root',
        home: '/root',
        shell: '/bin/bash',
        line: 1,
      },
      {
        name: 'daemon',
        password: 'x',
        uid: 1,
        gid: 1,
        gecos: 'daemon',
        home: '/usr/sbin',
        shell: '/usr/sbin/nologin',
        line: 4,
      },
      { name: 'nosh', password: 'x', uid: 7, gid: 7, gecos: '', home: '', shell: '', line: 8 },
    ]);
  });
});

describe('shadow', () => {
  it('parses numbers or null, keeping short lines and empty passwords', () => {
    const entries = parseShadow('root:$6$abc:19000:0:99999:7:::\nempty::19000::::::\nshort:\n');
    expect(entries).toEqual([
      {
        name: 'root',
        password: '$6$abc',
        lastChange: 19000,
        minDays: 0,
        maxDays: 99999,
        warnDays: 7,
        inactiveDays: null,
        expire: null,
        line: 1,
      },
      {
        name: 'empty',
        password: '',
        lastChange: 19000,
        minDays: null,
        maxDays: null,
        warnDays: null,
        inactiveDays: null,
        expire: null,
        line: 2,
      },
      {
        name: 'short',
        password: '',
        lastChange: null,
        minDays: null,
        maxDays: null,
        warnDays: null,
        inactiveDays: null,
        expire: null,
        line: 3,
      },
    ]);
  });
});

describe('group', () => {
  it('parses members', () => {
    expect(parseGroup('root:x:0:\nsudo:x:27:alice,bob\nbad:x:y:\n')).toEqual([
      { name: 'root', password: 'x', gid: 0, members: [], line: 1 },
      { name: 'sudo', password: 'x', gid: 27, members: ['alice', 'bob'], line: 2 },
    ]);
  });
});
