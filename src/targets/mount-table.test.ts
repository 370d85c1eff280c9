import { describe, expect, it } from 'vitest';
import { parseMountTable, planWalk } from './mount-table.js';

const TABLE = `proc /proc proc rw,relatime 0 0
sysfs /sys sysfs rw 0 0
/dev/sda1 / ext4 rw,relatime 0 0
devtmpfs /dev devtmpfs rw 0 0
tmpfs /dev/shm tmpfs rw,nosuid,nodev 0 0
/dev/sda2 /home ext4 rw 0 0
/dev/sda2 /home ext4 rw 0 0
tmpfs /run/user/1000 tmpfs rw 0 0
server:/export /mnt/nfs nfs4 rw 0 0
sshfs#me@host: /mnt/remote fuse.sshfs rw 0 0
/dev/sdb1 /mnt/with\\040space xfs rw 0 0
tmpfs /sys/fs/cgroup tmpfs ro 0 0
/dev/sdc1 /boot/efi vfat rw 0 0
overlay /var/lib/docker/overlay2/x/merged overlay rw 0 0
overlay /run/containerd/io.containerd.runtime.v2.task/k8s.io/abc/rootfs overlay rw 0 0
overlay /srv/overlay overlay rw 0 0
`;

describe('mount table', () => {
  it('parses entries and unescapes octal', () => {
    const mounts = parseMountTable(TABLE);
    expect(mounts[0]).toEqual({
      device: 'proc',
      mountPoint: '/proc',
      fsType: 'proc',
      options: ['rw', 'relatime'],
    });
    expect(mounts.find((mount) => mount.fsType === 'xfs')?.mountPoint).toBe('/mnt/with space');
  });

  it('walks local filesystems including tmpfs, skipping pseudo, remote and per-user mounts', () => {
    expect(planWalk(parseMountTable(TABLE))).toEqual({
      roots: ['/', '/dev/shm', '/home', '/mnt/with space', '/srv/overlay'],
      skipped: [
        '/proc',
        '/sys',
        '/dev',
        '/run/user/1000',
        '/mnt/nfs',
        '/mnt/remote',
        '/sys/fs/cgroup',
        '/boot/efi',
        '/var/lib/docker/overlay2/x/merged',
        '/run/containerd/io.containerd.runtime.v2.task/k8s.io/abc/rootfs',
      ],
    });
  });
});
