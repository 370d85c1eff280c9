#!/usr/bin/env bash
# Build the Debian 12 (bookworm) root filesystem fixtures that the scanner's
# integration tests scan offline.
#
# Usage: scripts/build-fixture.sh [--rebuild] [--variant NAME]... [--help]
#
#   --variant NAME  build only NAME (base, hardened or broken); repeatable.
#                   broken brings hardened up to date too: it is built on it.
#   --rebuild       ignore the cached base tarball and the variant stamps.
#
# Output: stdout gets one absolute path per variant directory that is up to
# date (and nothing else), so callers can do `dirs=$(build-fixture.sh)`.
# Progress and warnings go to stderr, tool output to $BUILD_DIR/logs/.
#
# Layout (BUILD_DIR defaults to fixtures/build/, which is gitignored):
#   $BUILD_DIR/rootfs/<variant>/        the trees; treat them as read-only
#   $BUILD_DIR/<variant>.packages.tsv   package manifest (package, version, arch)
#   $BUILD_DIR/<variant>.stamp          key of the inputs the tree was built from
#   $CACHE_DIR/base-<key>.tar.zst|gz    debootstrap + base configuration
#   $CACHE_DIR/base-<key>.id            sha256 of that tarball (cheap identity)
#   $CACHE_DIR/hardened-<key>.tar.zst|gz the hardened tree that broken starts from
#   $CACHE_DIR/debs/                    debootstrap --cache-dir
#
# Variants, each extracted fresh from a tarball into its own directory, and
# rebuilt only when the base or a script along its chain changed:
#   base      the configured debootstrap tree
#   hardened  base + fixtures/harden.sh   (run as: chroot DIR /bin/bash -s < script)
#   broken    hardened + fixtures/break.sh (extracted from a tarball of the
#             hardened tree, so harden.sh runs once)
# A variant whose script (or whose parent's script) does not exist is skipped
# with a warning, and a stale tree of it is removed.
#
# Contract for harden.sh / break.sh: they run as root inside the chroot with
# bash -s (so the script itself is stdin: don't let commands read stdin),
# DEBIAN_FRONTEND=noninteractive, the host's resolv.conf, and a policy-rc.d
# that stops services from starting. /proc is mounted only for a script that
# mentions apt/dpkg (package maintainer scripts need it). The tree's APT lists are
# those of the base build; run `apt-get update` before installing packages.
# /etc/resolv.conf is put back afterwards, so edits to it are lost.
# VOUCH_VARIANT names the variant being built. Each script is copied before
# it runs, so editing it mid-build is safe. Output goes to
# $BUILD_DIR/logs/<variant>.log, and `apt-get clean` runs after each script.
#
# Environment:
#   VOUCH_FIXTURE_DIR      BUILD_DIR (default: <repo>/fixtures/build)
#   VOUCH_FIXTURE_CACHE    CACHE_DIR (default: $BUILD_DIR/cache); point it at a
#                          persistent directory to share the base across clones
#   VOUCH_HARDEN_SCRIPT    default <repo>/fixtures/harden.sh
#   VOUCH_BREAK_SCRIPT     default <repo>/fixtures/break.sh
#   VOUCH_MIRROR, VOUCH_UPDATES_MIRROR, VOUCH_SECURITY_MIRROR
#                          override the archive URIs read from the host's apt
#                          sources (e.g. snapshot URLs for a frozen package set;
#                          set VOUCH_UPDATES_MIRROR/VOUCH_SECURITY_MIRROR to
#                          "none" to leave that suite out)
#   VOUCH_CHROOT_PROC      1|0: force /proc on or off while scripts run
#
# The cache key covers the mirrors, package list and the base configuration
# text, not the date: a cached base keeps its package versions until
# --rebuild (or a change of parameters), which keeps test runs comparable.
set -euo pipefail

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BUILD_DIR="$(realpath -m "${VOUCH_FIXTURE_DIR:-$REPO_ROOT/fixtures/build}")"
CACHE_DIR="$(realpath -m "${VOUCH_FIXTURE_CACHE:-$BUILD_DIR/cache}")"
ROOTFS_DIR="$BUILD_DIR/rootfs"
LOG_DIR="$BUILD_DIR/logs"
HARDEN_SCRIPT="${VOUCH_HARDEN_SCRIPT:-$REPO_ROOT/fixtures/harden.sh}"
BREAK_SCRIPT="${VOUCH_BREAK_SCRIPT:-$REPO_ROOT/fixtures/break.sh}"

SUITE=bookworm
# Bumping this invalidates every cached base and variant (format changes of
# this script that the hashed inputs below would not notice).
FORMAT_VERSION=1
INCLUDE=(
  # The services, daemons and PAM modules that the rules check.
  systemd systemd-sysv openssh-server sudo rsyslog cron auditd apparmor
  libpam-pwquality chrony
  # A small server baseline: the packages that own other files rules read.
  ca-certificates # https sources and TLS checks
  procps          # /etc/sysctl.conf and /etc/sysctl.d/README
  kmod            # /etc/modprobe.d, /etc/modules (module blacklist rules)
  iproute2 ifupdown netbase # /etc/network/interfaces, /etc/services, /etc/protocols
  nftables        # Debian's default firewall: /etc/nftables.conf
  logrotate       # log retention rules
  less
)
FIXTURE_HOSTNAME=vouch-bookworm
ADMIN_USER=vouchadmin
# Password "vouch-admin"; fixed salt so the tree is the same on every build:
#   openssl passwd -6 -salt VouchFixture2026 vouch-admin
# shellcheck disable=SC2016 # a literal crypt(3) hash, not an expansion
ADMIN_HASH='$6$VouchFixture2026$nOr5CrT9bbbAX5wCU61Ni4G4m9/uUs7rqKEjK/JlxQfi.MQx.tN4.P/QBNEzuZICZN/hLZwun1b3aUqFSFCW/1'
# Fixed so that facts derived from it (and snapshots of them) are stable.
MACHINE_ID=5a3c1e0f7b9d4c2e8f6a1b3d5c7e9f01
ALL_VARIANTS=(base hardened broken)
CHROOT_PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin

log() { printf 'build-fixture: %s\n' "$*" >&2; }
warn() { printf 'build-fixture: WARNING: %s\n' "$*" >&2; }
die() { printf 'build-fixture: ERROR: %s\n' "$*" >&2; exit 1; }
now() { date +%s.%N; }
since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1fs", b - a }'; }

usage() { sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed -e '$d' -e 's/^# \{0,1\}//'; }

REBUILD=0
REQUESTED=()
while (($# > 0)); do
  case "$1" in
    --rebuild) REBUILD=1 ;;
    --variant)
      (($# >= 2)) || die "--variant needs a NAME"
      REQUESTED+=("$2")
      shift
      ;;
    --variant=*) REQUESTED+=("${1#--variant=}") ;;
    -h | --help) usage; exit 0 ;;
    *) die "unknown argument '$1' (see --help)" ;;
  esac
  shift
done
((${#REQUESTED[@]} > 0)) || REQUESTED=("${ALL_VARIANTS[@]}")
for v in "${REQUESTED[@]}"; do
  [[ " ${ALL_VARIANTS[*]} " == *" $v "* ]] || die "unknown variant '$v' (known: ${ALL_VARIANTS[*]})"
done

# ---------------------------------------------------------------------------
# Mirrors: read from the host's apt sources, never hard-coded.

# Print the first URI that serves SUITE (Types: deb, not disabled) in deb822
# .sources files, then in one-line .list files. Only the names apt itself
# reads count (*.sources, *.list), so disabled files like foo.list.disabled
# are ignored as apt ignores them.
apt_source_uri() {
  local suite="$1" f out=""
  local -a deb822=() oneline=()
  shopt -s nullglob
  deb822=(/etc/apt/sources.list.d/*.sources)
  [[ -f /etc/apt/sources.list ]] && oneline+=(/etc/apt/sources.list)
  oneline+=(/etc/apt/sources.list.d/*.list)
  shopt -u nullglob
  for f in "${deb822[@]}"; do
    out="$(awk -v want="$suite" '
      function flush() {
        if (!found && types ~ /(^| )deb( |$)/ && enabled != "no" && (" " suites " ") ~ (" " want " ") && uris != "") {
          split(uris, u, " "); print u[1]; found = 1
        }
        types = ""; suites = ""; uris = ""; enabled = ""; field = ""
      }
      /^#/ { next }
      /^[ \t]*$/ { flush(); next }
      /^[ \t]/ { # continuation line of a multi-line field
        val = $0; gsub(/^[ \t]+|[ \t]+$/, "", val)
        if (field == "types") types = types " " val
        else if (field == "suites") suites = suites " " val
        else if (field == "uris") uris = uris " " val
        next
      }
      {
        key = tolower(substr($0, 1, index($0, ":") - 1)); val = substr($0, index($0, ":") + 1)
        gsub(/^[ \t]+|[ \t]+$/, "", val); gsub(/[ \t]+/, " ", val); field = key
        if (key == "types") types = val
        else if (key == "suites") suites = val
        else if (key == "uris") uris = val
        else if (key == "enabled") enabled = tolower(val)
      }
      END { flush() }
    ' "$f")"
    [[ -n "$out" ]] && { echo "$out"; return 0; }
  done
  for f in "${oneline[@]}"; do
    # "deb [options] URI SUITE COMPONENTS..."; options may contain spaces.
    out="$(sed -e 's/#.*//' -e 's/\[[^]]*\]//' "$f" |
      awk -v want="$suite" '!found && $1 == "deb" && $3 == want { print $2; found = 1 }')"
    [[ -n "$out" ]] && { echo "$out"; return 0; }
  done
  return 1
}

resolve_mirror() { # VAR_OVERRIDE SUITE REQUIRED
  local override="$1" suite="$2" required="$3" uri
  if [[ -n "$override" ]]; then
    uri="$override"
  elif ! uri="$(apt_source_uri "$suite")"; then
    [[ "$required" == 1 ]] && die "no apt source for suite '$suite' in /etc/apt/sources.list{,.d}; set VOUCH_MIRROR"
    warn "no apt source for suite '$suite' on this host; the fixture will not use it"
    uri=none
  fi
  [[ "$uri" == none ]] && { echo none; return; }
  [[ "$uri" =~ ^https?:// ]] || die "unsupported archive URI '$uri' for '$suite' (debootstrap needs http(s)); set VOUCH_MIRROR and friends"
  echo "${uri%/}"
}

# ---------------------------------------------------------------------------
# Chroot plumbing.

CLEANUP_CHROOT="" # tree whose temporary changes must be undone on exit
CLEANUP_TMPDIRS=()

# Unmount everything at or below DIR (deepest first). Lazy unmount as the
# fallback so that a busy mount never leaves the rm below crossing into it.
unmount_under() {
  local dir="$1" m
  [[ -e "$dir" ]] || return 0
  dir="$(realpath "$dir")"
  findmnt -rn -o TARGET | awk -v d="$dir" '$0 == d || index($0, d "/") == 1' | sort -r |
    while read -r m; do
      m="$(printf '%b' "$m")" # findmnt escapes spaces as \x20
      umount "$m" 2>/dev/null || umount -l "$m" || warn "could not unmount $m"
    done
}

remove_tree() {
  local dir="$1"
  [[ -e "$dir" ]] || return 0
  unmount_under "$dir"
  # --one-file-system: never follow into something still mounted below.
  rm -rf --one-file-system "$dir"
}

# Temporary changes while scripts run inside DIR; undone by restore_chroot.
prepare_chroot() { # DIR WITH_PROC(0|1)
  local dir="$1" with_proc="$2"
  CLEANUP_CHROOT="$dir"
  # debootstrap removes its policy-rc.d when it finishes; without one,
  # maintainer scripts would try to start sshd, auditd, ... on the host.
  if [[ ! -e "$dir/usr/sbin/policy-rc.d" ]]; then
    printf '#!/bin/sh\n# vouch fixture build: never start services in the chroot\nexit 101\n' >"$dir/usr/sbin/policy-rc.d"
    chmod 0755 "$dir/usr/sbin/policy-rc.d"
    touch "$dir/usr/sbin/.policy-rc.d.vouch-created"
  fi
  # The tree keeps its own resolv.conf (maybe a symlink); the host's is only
  # needed while apt downloads.
  if [[ -e "$dir/etc/resolv.conf" || -L "$dir/etc/resolv.conf" ]]; then
    mv "$dir/etc/resolv.conf" "$dir/etc/.resolv.conf.vouch-save"
  fi
  cp -L /etc/resolv.conf "$dir/etc/resolv.conf" 2>/dev/null || : >"$dir/etc/resolv.conf"
  # Scripts run with the script itself on stdin: a dpkg conffile prompt
  # would read (and eat) the rest of the script. Take the defaults instead.
  # No /dev/pts in the chroot: stop dpkg asking for a pty (it only logs
  # "Can not write log (Is /dev/pts mounted?)" otherwise).
  printf 'Dpkg::Options { "--force-confdef"; "--force-confold"; };\nDpkg::Use-Pty "0";\n' \
    >"$dir/etc/apt/apt.conf.d/00vouch-fixture-build"
  # Package maintainer scripts need /proc (systemd-tmpfiles refuses to run
  # without it, e.g. when aide is installed). Scripts that don't touch
  # packages get no mount at all.
  if [[ "$with_proc" == 1 ]] && ! mountpoint -q "$dir/proc"; then
    mount -t proc proc "$dir/proc"
  fi
}

# Does SCRIPT install or remove packages (and so need /proc)?
# VOUCH_CHROOT_PROC=1|0 overrides the guess.
script_needs_proc() {
  case "${VOUCH_CHROOT_PROC:-auto}" in
    1) return 0 ;;
    0) return 1 ;;
  esac
  grep -Eq '(^|[^[:alnum:]_-])(apt-get|apt|aptitude|dpkg|dpkg-reconfigure|debconf-set-selections)([^[:alnum:]_-]|$)' "$1"
}

restore_chroot() {
  local dir="$1"
  [[ -n "$dir" && -d "$dir" ]] || return 0
  # Our /proc, and anything a script mounted and left behind.
  unmount_under "$dir"
  rm -f "$dir/etc/apt/apt.conf.d/00vouch-fixture-build"
  if [[ -e "$dir/etc/.resolv.conf.vouch-save" || -L "$dir/etc/.resolv.conf.vouch-save" ]]; then
    rm -f "$dir/etc/resolv.conf"
    mv "$dir/etc/.resolv.conf.vouch-save" "$dir/etc/resolv.conf"
  fi
  if [[ -e "$dir/usr/sbin/.policy-rc.d.vouch-created" ]]; then
    rm -f "$dir/usr/sbin/policy-rc.d" "$dir/usr/sbin/.policy-rc.d.vouch-created"
  fi
  CLEANUP_CHROOT=""
}

# shellcheck disable=SC2317 # invoked through the trap below
on_exit() {
  local rc=$?
  restore_chroot "$CLEANUP_CHROOT" || true
  local d
  for d in "${CLEANUP_TMPDIRS[@]}"; do remove_tree "$d" || true; done
  exit "$rc"
}
trap on_exit EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# run_in_chroot DIR LABEL SCRIPT_FILE : run SCRIPT_FILE with bash -s inside DIR.
run_in_chroot() {
  local dir="$1" label="$2" script="$3" logf="$LOG_DIR/$2.log" rc=0 with_proc=0
  script_needs_proc "$script" && with_proc=1
  prepare_chroot "$dir" "$with_proc"
  env -i PATH="$CHROOT_PATH" HOME=/root LANG=C.UTF-8 TERM=dumb \
    DEBIAN_FRONTEND=noninteractive VOUCH_VARIANT="$label" \
    chroot "$dir" /bin/bash -s <"$script" >>"$logf" 2>&1 9>&- || rc=$?
  if ((rc == 0)); then
    env -i PATH="$CHROOT_PATH" chroot "$dir" apt-get clean >>"$logf" 2>&1 </dev/null 9>&- || rc=$?
  fi
  restore_chroot "$dir"
  if ((rc != 0)); then
    tail -n 40 "$logf" >&2
    die "$label: script $script failed with exit code $rc (full log: $logf)"
  fi
}

write_manifest() { # DIR OUT
  local tmp="$2.tmp"
  {
    printf 'package\tversion\tarchitecture\n'
    dpkg-query --admindir="$1/var/lib/dpkg" -W \
      -f='${db:Status-Abbrev}\t${Package}\t${Version}\t${Architecture}\n' |
      awk -F'\t' '$1 == "ii " { print $2 "\t" $3 "\t" $4 }' | LC_ALL=C sort
  } >"$tmp"
  mv "$tmp" "$2"
}

# ---------------------------------------------------------------------------
# Stage 1: the base tarball.

if command -v zstd >/dev/null 2>&1; then
  TAR_EXT=tar.zst
  compress() { zstd -T0 -3 -q; }
else
  TAR_EXT=tar.gz
  compress() { gzip -6; }
fi
decompress() { # FILE
  case "$1" in
    *.zst) zstd -dcq -- "$1" ;;
    *) gzip -dc -- "$1" ;;
  esac
}
TAR_OPTS=(--numeric-owner --xattrs --xattrs-include='*' --acls)

base_config_script() {
  local sources
  sources="deb $MIRROR $SUITE main"
  [[ "$UPDATES_MIRROR" == none ]] || sources+=$'\n'"deb $UPDATES_MIRROR $SUITE-updates main"
  [[ "$SECURITY_MIRROR" == none ]] || sources+=$'\n'"deb $SECURITY_MIRROR $SUITE-security main"
  # Everything below is hashed into the cache key, so edit freely.
  cat <<EOF
set -euo pipefail
echo '$FIXTURE_HOSTNAME' >/etc/hostname
cat >/etc/hosts <<'HOSTS'
127.0.0.1	localhost
127.0.1.1	$FIXTURE_HOSTNAME

# The following lines are desirable for IPv6 capable hosts
::1     localhost ip6-localhost ip6-loopback
ff02::1 ip6-allnodes
ff02::2 ip6-allrouters
HOSTS
# What d-i writes for a single ext4 root and a swap partition; fixed UUIDs.
cat >/etc/fstab <<'FSTAB'
# /etc/fstab: static file system information.
#
# Use 'blkid' to print the universally unique identifier for a
# device; this may be used with UUID= as a more robust way to name devices
# that works even if disks are added and removed. See fstab(5).
#
# <file system> <mount point>   <type>  <options>       <dump>  <pass>
# / was on /dev/vda1 during installation
UUID=0f3c6a52-7d4e-4f7b-9a51-3c2d8e1b6a01 /               ext4    errors=remount-ro 0       1
# swap was on /dev/vda5 during installation
UUID=6b1e9d24-2c8a-4e36-b0f7-5d9a3e7c4b02 none            swap    sw              0       0
FSTAB
# One-line sources.list, as d-i writes on a server install.
rm -f /etc/apt/sources.list.d/*.list /etc/apt/sources.list.d/*.sources
cat >/etc/apt/sources.list <<'SOURCES'
$sources
SOURCES
apt-get update -q
apt-get -y -q dist-upgrade
id -u '$ADMIN_USER' >/dev/null 2>&1 ||
  useradd --create-home --shell /bin/bash --comment 'Vouch Admin' --groups sudo \
    --password '$ADMIN_HASH' '$ADMIN_USER'
echo '$MACHINE_ID' >/etc/machine-id
apt-get clean
EOF
}

# ---------------------------------------------------------------------------

command -v debootstrap >/dev/null 2>&1 || die "debootstrap is not installed (run scripts/install-deps.sh)"
((EUID == 0)) || die "must run as root (debootstrap, chroot and mount need it)"

mkdir -p "$BUILD_DIR" "$CACHE_DIR/debs" "$ROOTFS_DIR" "$LOG_DIR"
# Serialise concurrent builds (two test runs, or a developer plus an editor
# hook) on the same tree. Children get `9>&-` so that a daemon a script
# leaves running cannot hold the lock.
exec 9>"$BUILD_DIR/.lock"
if ! flock -n 9; then
  log "another build holds $BUILD_DIR/.lock; waiting"
  flock 9
fi

MIRROR="$(resolve_mirror "${VOUCH_MIRROR:-}" "$SUITE" 1)"
UPDATES_MIRROR="$(resolve_mirror "${VOUCH_UPDATES_MIRROR:-}" "$SUITE-updates" 0)"
SECURITY_MIRROR="$(resolve_mirror "${VOUCH_SECURITY_MIRROR:-}" "$SUITE-security" 0)"
ARCH="$(dpkg --print-architecture)"
INCLUDE_CSV="$(IFS=,; echo "${INCLUDE[*]}")"
BASE_CONFIG="$(base_config_script)"

BASE_KEY="$(
  printf 'format=%s\nsuite=%s\narch=%s\nmirror=%s\ninclude=%s\nconfig:\n%s\n' \
    "$FORMAT_VERSION" "$SUITE" "$ARCH" "$MIRROR" "$INCLUDE_CSV" "$BASE_CONFIG" |
    sha256sum | cut -c1-16
)"
BASE_TARBALL="$CACHE_DIR/base-$BASE_KEY.$TAR_EXT"
# Accept a tarball made with the other compressor (zstd installed later).
for ext in tar.zst tar.gz; do
  if [[ ! -f "$BASE_TARBALL" && -f "$CACHE_DIR/base-$BASE_KEY.$ext" ]]; then
    [[ "$ext" == tar.zst ]] && ! command -v zstd >/dev/null 2>&1 && continue
    BASE_TARBALL="$CACHE_DIR/base-$BASE_KEY.$ext"
  fi
done
BASE_ID_FILE="$CACHE_DIR/base-$BASE_KEY.id"

build_base_tarball() {
  local t0 tmp="$CACHE_DIR/base.build" out="$CACHE_DIR/base-$BASE_KEY.$TAR_EXT"
  CLEANUP_TMPDIRS+=("$tmp")
  remove_tree "$tmp"
  log "debootstrap $SUITE from $MIRROR (log: $LOG_DIR/debootstrap.log)"
  t0="$(now)"
  if ! debootstrap --variant=minbase --arch="$ARCH" --components=main \
    --cache-dir="$CACHE_DIR/debs" --include="$INCLUDE_CSV" \
    "$SUITE" "$tmp" "$MIRROR" >"$LOG_DIR/debootstrap.log" 2>&1 9>&-; then
    tail -n 40 "$LOG_DIR/debootstrap.log" >&2
    die "debootstrap failed (full log: $LOG_DIR/debootstrap.log)"
  fi
  log "debootstrap done in $(since "$t0")"

  # debootstrap copied the host's resolv.conf; the fixture must not carry
  # the build host's resolver. glibc falls back to localhost without one.
  rm -f "$tmp/etc/resolv.conf"
  printf '# vouch fixture: no resolver configured\n' >"$tmp/etc/resolv.conf"

  t0="$(now)"
  : >"$LOG_DIR/base-config.log"
  # A file rather than a pipe: run_in_chroot reads it twice, and it is the
  # record of what ran, next to its log.
  printf '%s\n' "$BASE_CONFIG" >"$LOG_DIR/base-config.sh"
  run_in_chroot "$tmp" base-config "$LOG_DIR/base-config.sh"
  log "base configuration + upgrade done in $(since "$t0")"

  t0="$(now)"
  rm -f "$out.tmp"
  tar -C "$tmp" "${TAR_OPTS[@]}" --one-file-system -cf - . | compress >"$out.tmp"
  mv "$out.tmp" "$out"
  sha256sum "$out" | cut -c1-64 >"$BASE_ID_FILE"
  remove_tree "$tmp"
  # Older bases are unreachable now (their key no longer matches): drop them.
  find "$CACHE_DIR" -maxdepth 1 -name 'base-*' ! -name "base-$BASE_KEY.*" -delete
  BASE_TARBALL="$out"
  log "base tarball $(du -h "$out" | cut -f1) written in $(since "$t0")"
}

if ((REBUILD)) || [[ ! -f "$BASE_TARBALL" ]]; then
  rm -f "$BASE_TARBALL" "$BASE_ID_FILE"
  build_base_tarball
fi
[[ -s "$BASE_ID_FILE" ]] || sha256sum "$BASE_TARBALL" | cut -c1-64 >"$BASE_ID_FILE"
BASE_ID="$(cat "$BASE_ID_FILE")"

# ---------------------------------------------------------------------------
# Stage 2: variants. Each tree is extracted fresh from a tarball: base from
# the base tarball, broken from a tarball of the hardened tree taken right
# after harden.sh ran (so harden.sh, which installs packages, runs once, and
# no variant depends on a tree that tests or scanners may have written into).

variant_parent() {
  case "$1" in
    hardened) echo base ;;
    broken) echo hardened ;;
  esac
}

variant_script() {
  case "$1" in
    hardened) echo "$HARDEN_SCRIPT" ;;
    broken) echo "$BREAK_SCRIPT" ;;
  esac
}

# Variants that others are built from get a tarball of their own.
has_children() { [[ "$1" == hardened ]]; }

# Scripts are copied before they are hashed and run: the key then matches
# what actually ran, and an editor saving the file mid-build cannot feed
# bash half of each version.
SNAP_DIR="$(mktemp -d "${TMPDIR:-/tmp}/vouch-fixture-scripts.XXXXXX")"
CLEANUP_TMPDIRS+=("$SNAP_DIR")

declare -A VARIANT_STATE=() # variant -> ok|skipped
declare -A VARIANT_KEY=()
declare -A VARIANT_TARBALL=()
VARIANT_TARBALL[base]="$BASE_TARBALL"

variant_tarball_path() { # VARIANT KEY -> existing tarball, or the path to write
  local ext
  for ext in tar.zst tar.gz; do
    [[ "$ext" == tar.zst ]] && ! command -v zstd >/dev/null 2>&1 && continue
    [[ -f "$CACHE_DIR/$1-${2:0:16}.$ext" ]] && { echo "$CACHE_DIR/$1-${2:0:16}.$ext"; return; }
  done
  echo "$CACHE_DIR/$1-${2:0:16}.$TAR_EXT"
}

skip_variant() { # VARIANT REASON
  warn "skipping variant '$1': $2"
  # A tree left from an earlier build would be stale, and tests look for
  # the directory: remove it so they skip instead.
  if [[ -e "$ROOTFS_DIR/$1" ]]; then
    warn "removing stale $ROOTFS_DIR/$1"
    remove_tree "$ROOTFS_DIR/$1"
  fi
  rm -f "$BUILD_DIR/$1.stamp" "$BUILD_DIR/$1.packages.tsv"
  VARIANT_STATE[$1]=skipped
}

build_variant() {
  local v="$1" parent script snap key dir tmp t0 tarball logf="$LOG_DIR/$1.log"
  [[ -n "${VARIANT_STATE[$v]:-}" ]] && return 0
  parent="$(variant_parent "$v")"
  script="$(variant_script "$v")"
  if [[ -z "$parent" ]]; then
    key="$(printf 'format=%s\nvariant=%s\nbase=%s\n' "$FORMAT_VERSION" "$v" "$BASE_ID" | sha256sum | cut -c1-64)"
  else
    build_variant "$parent"
    if [[ "${VARIANT_STATE[$parent]}" != ok ]]; then
      skip_variant "$v" "it is built on '$parent', which was skipped"
      return 0
    fi
    if [[ ! -f "$script" ]]; then
      skip_variant "$v" "$script does not exist"
      return 0
    fi
    snap="$SNAP_DIR/$v.sh"
    cp "$script" "$snap"
    key="$(printf 'format=%s\nvariant=%s\nparent=%s\nscript=%s\n' "$FORMAT_VERSION" "$v" \
      "${VARIANT_KEY[$parent]}" "$(sha256sum <"$snap" | cut -c1-64)" | sha256sum | cut -c1-64)"
  fi
  VARIANT_KEY[$v]="$key"
  dir="$ROOTFS_DIR/$v"
  tarball=""
  if has_children "$v"; then tarball="$(variant_tarball_path "$v" "$key")"; fi
  if ((!REBUILD)) && [[ -d "$dir" && -f "$BUILD_DIR/$v.packages.tsv" &&
    "$(cat "$BUILD_DIR/$v.stamp" 2>/dev/null)" == "$key" && (-z "$tarball" || -f "$tarball") ]]; then
    [[ -z "$tarball" ]] || VARIANT_TARBALL[$v]="$tarball"
    VARIANT_STATE[$v]=ok
    return 0
  fi

  t0="$(now)"
  tmp="$ROOTFS_DIR/.$v.tmp"
  CLEANUP_TMPDIRS+=("$tmp")
  remove_tree "$tmp"
  mkdir -p "$tmp"
  decompress "${VARIANT_TARBALL[${parent:-base}]}" | tar -C "$tmp" "${TAR_OPTS[@]}" -xpf -
  if [[ -n "$parent" ]]; then
    : >"$logf"
    log "$v: running $script in the chroot (log: $logf)"
    run_in_chroot "$tmp" "$v" "$snap"
  fi
  if [[ -n "$tarball" ]]; then
    tarball="$CACHE_DIR/$v-${key:0:16}.$TAR_EXT"
    tar -C "$tmp" "${TAR_OPTS[@]}" --one-file-system -cf - . | compress >"$tarball.tmp"
    mv "$tarball.tmp" "$tarball"
    find "$CACHE_DIR" -maxdepth 1 -name "$v-*" ! -name "$v-${key:0:16}.*" -delete
    VARIANT_TARBALL[$v]="$tarball"
  fi
  write_manifest "$tmp" "$BUILD_DIR/$v.packages.tsv"
  rm -f "$BUILD_DIR/$v.stamp"
  remove_tree "$dir"
  mv "$tmp" "$dir"
  printf '%s\n' "$key" >"$BUILD_DIR/$v.stamp"
  log "$v: built in $(since "$t0") ($(($(wc -l <"$BUILD_DIR/$v.packages.tsv") - 1)) packages)"
  VARIANT_STATE[$v]=ok
}

for v in "${REQUESTED[@]}"; do
  build_variant "$v"
done
for v in "${REQUESTED[@]}"; do
  if [[ "${VARIANT_STATE[$v]}" == ok ]]; then printf '%s\n' "$ROOTFS_DIR/$v"; fi
done
exit 0
