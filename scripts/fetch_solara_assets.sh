#!/usr/bin/env bash
# Fetch the JavaScript/CSS that Solara would otherwise load from a CDN at run time, so that
# `cogov viz` works offline (a classroom without internet).
#
# Solara's asset proxy (solara/server/cdn_helper.py) serves /_solara/cdn/<package>@<version>/<path>
# from SOLARA_ASSETS_PROXY_CACHE_DIR/<package>@<version>/<path> and only goes to the CDN for a
# file missing there. `npm pack` downloads each package from the npm registry as a tarball whose
# files sit under package/; this script unpacks them into that layout.
#
# Usage: scripts/fetch_solara_assets.sh [DEST]   (default: $SOLARA_ASSETS_PROXY_CACHE_DIR or
#        .solara-assets/ in the repository). Idempotent: packages already present are skipped.
# The assets are never committed (.solara-assets/ is git-ignored).
set -euo pipefail

here="$(cd "$(dirname "$0")/.." && pwd)"
dest="${1:-${SOLARA_ASSETS_PROXY_CACHE_DIR:-$here/.solara-assets}}"
# Pinned to what solara 1.64.1 requests (solara/server/templates/solara.html.j2,
# solara/widgets/vue/gridlayout.vue, solara/server/settings.py fontawesome_path).
packages=(
  "@widgetti/solara-vuetify-app@10.1.1"
  "requirejs@2.3.6"
  "font-awesome@4.5.0"
  "@widgetti/vue-grid-layout@2.3.13-alpha.2"
)

if ! command -v npm >/dev/null 2>&1; then
  echo "fetch_solara_assets: npm not found; install Node.js/npm (Debian: apt-get install npm)" >&2
  exit 1
fi

mkdir -p "$dest"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

for spec in "${packages[@]}"; do
  target="$dest/$spec"
  if [ -f "$target/package.json" ]; then
    echo "fetch_solara_assets: $spec already in $dest"
    continue
  fi
  echo "fetch_solara_assets: $spec"
  tarball="$(cd "$tmp" && npm pack --silent "$spec" | tail -n 1)"
  mkdir -p "$tmp/unpack"
  tar -xzf "$tmp/$tarball" -C "$tmp/unpack"
  rm -rf "$target.partial"
  mkdir -p "$(dirname "$target")"
  mv "$tmp/unpack/package" "$target.partial"
  rm -rf "$target" "$tmp/unpack" "$tmp/$tarball"
  mv "$target.partial" "$target"   # a package appears whole or not at all
done

# Sanity check: the files the page asks for first.
for f in "@widgetti/solara-vuetify-app@10.1.1/dist/solara-vuetify-app8.min.js" \
         "@widgetti/solara-vuetify-app@10.1.1/dist/main8.css" \
         "requirejs@2.3.6/require.js" \
         "font-awesome@4.5.0/css/font-awesome.min.css" \
         "@widgetti/vue-grid-layout@2.3.13-alpha.2/dist/vue-grid-layout.umd.js"; do
  if [ ! -f "$dest/$f" ]; then
    echo "fetch_solara_assets: missing $dest/$f after unpacking" >&2
    exit 1
  fi
done
echo "fetch_solara_assets: assets in $dest"
