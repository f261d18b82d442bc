#!/bin/sh
# Reproduce odmld/web/static/yasgui/ from the npm registry: the built files of the pinned
# @zazuko/yasgui and its licence. odmld serves them itself (no CDN: the Content-Security-Policy lets
# pages load scripts from this site only). Run from anywhere:  sh tools/vendor-yasgui.sh
set -eu
VERSION=4.6.2
here=$(cd "$(dirname "$0")/.." && pwd)
target="$here/odmld/web/static/yasgui"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
(cd "$work" && npm pack --silent "@zazuko/yasgui@$VERSION" >/dev/null && tar xzf "zazuko-yasgui-$VERSION.tgz")
rm -rf "$target" && mkdir -p "$target"
cp "$work/package/build/yasgui.min.js" "$work/package/build/yasgui.min.css" "$target/"
licence=$(node -e "console.log(require('$work/package/package.json').license)")
{
  echo "@zazuko/yasgui $VERSION (npm), licence: $licence (as its package.json declares; the npm package"
  echo "ships no licence file). Source: https://github.com/rdfjs/Yasgui. yasgui.min.js bundles its"
  echo "dependencies; their licences, as the registry declares them:"
  node -e "const d=require('$work/package/package.json').dependencies; for (const n in d) console.log(n)" |
    while read -r dependency; do
      declared=$(npm view --silent "$dependency" license)
      echo "  $dependency: ${declared:-(none declared)}"
    done
  echo "  (and CodeMirror 5, inside @zazuko/yasqe: MIT)"
  echo
  cat <<'MIT'
The MIT License (MIT)

Copyright (c) Triply B.V. and Zazuko GmbH (the Yasgui authors)

Permission is hereby granted, free of charge, to any person obtaining a copy of this software and
associated documentation files (the "Software"), to deal in the Software without restriction,
including without limitation the rights to use, copy, modify, merge, publish, distribute,
sublicense, and/or sell copies of the Software, and to permit persons to whom the Software is
furnished to do so, subject to the following conditions:

The above copyright notice and this permission notice shall be included in all copies or
substantial portions of the Software.

THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR IMPLIED, INCLUDING BUT
NOT LIMITED TO THE WARRANTIES OF MERCHANTABILITY, FITNESS FOR A PARTICULAR PURPOSE AND
NONINFRINGEMENT. IN NO EVENT SHALL THE AUTHORS OR COPYRIGHT HOLDERS BE LIABLE FOR ANY CLAIM, DAMAGES
OR OTHER LIABILITY, WHETHER IN AN ACTION OF CONTRACT, TORT OR OTHERWISE, ARISING FROM, OUT OF OR IN
CONNECTION WITH THE SOFTWARE OR THE USE OR OTHER DEALINGS IN THE SOFTWARE.
MIT
} > "$target/LICENSE.txt"
echo "$VERSION" > "$target/VERSION"
echo "odmld/web/static/yasgui/: @zazuko/yasgui $VERSION"
