#!/usr/bin/env bash
# THE whole-suite command (CI runs it through .ci/run; developers run it as
# `npm run test:all`): Debian packages, node modules, the rootfs fixtures,
# then build, typecheck, lint and tests.
#
# Exports VOUCH_FIXTURES=<abs path>/fixtures/build/rootfs for the tests; a
# variant directory under it (base, hardened, broken) exists only if it was
# built, so tests must skip a variant that is absent.
# Honours VOUCH_FIXTURE_DIR / VOUCH_FIXTURE_CACHE etc. (see build-fixture.sh).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

START=$SECONDS
STEP="start"
COUNTS=""

finish() {
  local rc=$?
  if ((rc == 0)); then
    echo "test-all: OK: deps, fixtures, build, typecheck, lint and tests passed in $((SECONDS - START))s"
    echo "$COUNTS"
  else
    echo "test-all: FAILED in step '$STEP' (exit $rc) after $((SECONDS - START))s"
  fi
}
trap finish EXIT

step() {
  STEP="$1"
  echo "==> $STEP [$((SECONDS - START))s]"
}

# debootstrap, chroot and apt need root; a developer without it gets sudo.
AS_ROOT=()
if ((EUID != 0)); then AS_ROOT=(sudo --preserve-env); fi

step "install Debian packages"
"${AS_ROOT[@]}" bash scripts/install-deps.sh

step "node modules"
# npm ci rewrites node_modules/.package-lock.json; a newer package-lock.json
# means the installed tree is out of date.
if [[ ! -f node_modules/.package-lock.json || package-lock.json -nt node_modules/.package-lock.json ]]; then
  npm ci --no-audit --no-fund
else
  echo "node_modules is up to date"
fi

step "rootfs fixtures"
"${AS_ROOT[@]}" bash scripts/build-fixture.sh
VOUCH_FIXTURES="$(realpath -m "${VOUCH_FIXTURE_DIR:-$ROOT/fixtures/build}/rootfs")"
export VOUCH_FIXTURES
echo "VOUCH_FIXTURES=$VOUCH_FIXTURES"

step "npm run build"
npm run build

step "npm run check (typecheck, lint, tests)"
VOUCH_TEST_REPORT="$ROOT/.cache/vitest-report.json"
export VOUCH_TEST_REPORT
mkdir -p "$ROOT/.cache"
rm -f "$VOUCH_TEST_REPORT"
npm run check

step "SCAP differential suite (Vouch vs oscap, run alone: it compares live filesystem state)"
DIFF_REPORT="$ROOT/.cache/vitest-differential.json"
rm -f "$DIFF_REPORT"
VOUCH_TEST_REPORT="$DIFF_REPORT" npm run test:differential

# The plain closing line CI reads ("N passed, N failed"), from the JSON reports Vitest wrote;
# printed last, by finish().
COUNTS=$(node -e '
const reports = process.argv.slice(1).map((file) => require(file));
const sum = (key) => reports.reduce((n, r) => n + r[key], 0);
console.log(`${sum("numPassedTests")} passed, ${sum("numFailedTests")} failed, ${sum("numPendingTests") + sum("numTodoTests")} skipped`);
' "$VOUCH_TEST_REPORT" "$DIFF_REPORT")
STEP="done"
