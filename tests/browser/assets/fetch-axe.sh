#!/usr/bin/env bash
# Refresh the vendored axe-core (the accessibility checker the browser tests inject) from npm, pinned:
#   tests/browser/assets/fetch-axe.sh
# The tests check the file against AXE_SHA256 in tests/browser/accessibility.py; change both together.
set -euo pipefail
VERSION=4.14.1
here="$(cd "$(dirname "$0")" && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
(cd "$work" && npm pack --silent "axe-core@$VERSION" >/dev/null && tar xzf "axe-core-$VERSION.tgz")
cp "$work/package/axe.min.js" "$here/axe.min.js"
cp "$work/package/LICENSE" "$here/LICENSE-axe-core"
sha256sum "$here/axe.min.js"
