#!/usr/bin/env bash
# Install the Debian packages that the fixture build and the test suite need.
#
# Usage: scripts/install-deps.sh [PACKAGE...]
#   With no arguments the default set below is used. Extra packages can also
#   be added with VOUCH_EXTRA_DEPS="pkg1 pkg2".
#
# Idempotent and fast when everything is present: it only asks dpkg what is
# installed, and talks to the network (apt-get update + install) only when
# something is missing.
set -euo pipefail

DEFAULT_PKGS=(
  debootstrap      # builds the Debian 12 root filesystem fixture
  zstd             # compresses the cached base tarball (gzip is the fallback)
  openscap-scanner # reference oscap for comparison tests
  openscap-utils   # oscap-chroot lives here, not in openscap-scanner
  ssg-debian       # SCAP Security Guide content for Debian
  ssg-debderived   # SSG content for Ubuntu (Debian derivatives)
  openssh-server   # SSH transport tests run a local sshd
  openssh-client
  chromium         # headless rendering of HTML reports
  ansible-core     # ansible-playbook --syntax-check of generated remediation playbooks
)

log() { printf 'install-deps: %s\n' "$*" >&2; }

if (($# > 0)); then
  pkgs=("$@")
else
  pkgs=("${DEFAULT_PKGS[@]}")
fi
# Word splitting is intended: a space-separated list of package names.
# shellcheck disable=SC2206
pkgs+=(${VOUCH_EXTRA_DEPS:-})

is_installed() {
  # "install ok installed" is the only state in which the package is usable;
  # "deinstall ok config-files" (removed, conffiles left) counts as missing.
  [[ "$(dpkg-query -W -f='${Status}' "$1" 2>/dev/null || true)" == "install ok installed" ]]
}

has_candidate() {
  local cand
  cand="$(apt-cache policy "$1" 2>/dev/null | awk '/^ *Candidate:/ {print $2; exit}')"
  [[ -n "$cand" && "$cand" != "(none)" ]]
}

missing=()
for p in "${pkgs[@]}"; do
  is_installed "$p" || missing+=("$p")
done

if ((${#missing[@]} == 0)); then
  log "all ${#pkgs[@]} packages present"
  exit 0
fi

SUDO=()
if ((EUID != 0)); then
  if command -v sudo >/dev/null 2>&1; then
    SUDO=(sudo)
  else
    log "missing packages (${missing[*]}) and not root; install them or re-run as root"
    exit 1
  fi
fi

export DEBIAN_FRONTEND=noninteractive
log "missing: ${missing[*]}"
# A fresh machine may have empty or stale lists; a candidate from an old list
# can also 404 on download, so refresh once whenever we have to install.
"${SUDO[@]}" apt-get update -qq

installable=()
for p in "${missing[@]}"; do
  if has_candidate "$p"; then
    installable+=("$p")
  else
    # Not fatal: e.g. chromium is absent on some architectures. Tests that
    # need a package must detect its absence and skip with a reason.
    log "WARNING: no installation candidate for '$p' in the configured sources; skipping it"
  fi
done

if ((${#installable[@]} > 0)); then
  log "installing: ${installable[*]}"
  "${SUDO[@]}" apt-get install -y -q --no-install-recommends \
    -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold \
    "${installable[@]}"
fi

# debootstrap is essential for the fixture; fail here with a clear message
# rather than later with a confusing one.
for p in "${installable[@]}"; do
  is_installed "$p" || { log "ERROR: '$p' is still not installed"; exit 1; }
done
log "done"
