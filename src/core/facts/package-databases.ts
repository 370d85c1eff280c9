/** Where package managers keep their databases (target paths; shared by collectors and probes). */

/** rpm database files, newest layout first (sqlite since rpm 4.16, Berkeley DB before). */
export const RPM_DATABASE_FILES: readonly string[] = [
  '/usr/lib/sysimage/rpm/rpmdb.sqlite',
  '/var/lib/rpm/rpmdb.sqlite',
  '/usr/lib/sysimage/rpm/Packages.db',
  '/var/lib/rpm/Packages.db',
  '/var/lib/rpm/Packages',
];
