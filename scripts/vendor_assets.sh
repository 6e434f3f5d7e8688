#!/usr/bin/env bash
# Refresh tongxin/static/vendor/ from the exact pins in package.json, so that a clone serves every
# front-end file itself: no Node and no CDN at run time.
#
#   scripts/vendor_assets.sh          install from package-lock.json (npm ci) and copy
#   scripts/vendor_assets.sh --update re-resolve package.json, rewrite the lock, and copy
#
# Only minified files are copied. The lock file keeps integrity hashes but no "resolved"
# registry addresses: npm fetches from whichever registry the machine is configured for.
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
DEST="$ROOT/tongxin/static/vendor"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT

cp "$ROOT/package.json" "$WORK/"
if [[ "${1:-}" == "--update" || ! -f "$ROOT/package-lock.json" ]]; then
    (cd "$WORK" && npm install --ignore-scripts --no-audit --no-fund --loglevel=error)
    # Drop registry (and funding) addresses from the lock; integrity hashes still pin the exact
    # tarballs.
    node -e '
        const fs = require("fs");
        const lock = JSON.parse(fs.readFileSync(process.argv[1], "utf8"));
        for (const pkg of Object.values(lock.packages || {})) { delete pkg.resolved; delete pkg.funding; }
        fs.writeFileSync(process.argv[2], JSON.stringify(lock, null, 2) + "\n");
    ' "$WORK/package-lock.json" "$ROOT/package-lock.json"
else
    cp "$ROOT/package-lock.json" "$WORK/"
    (cd "$WORK" && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error)
fi

NM="$WORK/node_modules"
version() { node -p "require('$NM/$1/package.json').version"; }

rm -rf "$DEST"
mkdir -p "$DEST"/{bootstrap,bootstrap-icons/fonts,htmx,alpinejs,echarts,axe-core}

cp "$NM/bootstrap/dist/css/bootstrap.min.css" "$DEST/bootstrap/"
cp "$NM/bootstrap/dist/js/bootstrap.bundle.min.js" "$DEST/bootstrap/"
cp "$NM/bootstrap-icons/font/bootstrap-icons.min.css" "$DEST/bootstrap-icons/"
cp "$NM/bootstrap-icons/font/fonts/bootstrap-icons.woff" "$NM/bootstrap-icons/font/fonts/bootstrap-icons.woff2" \
    "$DEST/bootstrap-icons/fonts/"
cp "$NM/htmx.org/dist/htmx.min.js" "$DEST/htmx/"
cp "$NM/alpinejs/dist/cdn.min.js" "$DEST/alpinejs/"
cp "$NM/echarts/dist/echarts.min.js" "$DEST/echarts/"
cp "$NM/axe-core/axe.min.js" "$DEST/axe-core/"
# The .map files are not vendored, so drop the comments that point at them: browsers would ask for
# them, and Django's manifest storage refuses to collect a file whose source map is missing.
find "$DEST" -name '*.min.*' -exec sed -i -E '/^[/][*/]# sourceMappingURL=.*$/d' {} +

# Each package's licence travels with its files.
for pkg in bootstrap bootstrap-icons htmx.org alpinejs echarts axe-core; do
    dir="$pkg"; [[ "$pkg" == "htmx.org" ]] && dir="htmx"
    for lic in LICENSE LICENSE.txt LICENSE.md; do
        if [[ -f "$NM/$pkg/$lic" ]]; then cp "$NM/$pkg/$lic" "$DEST/$dir/LICENSE"; break; fi
    done
done

{
    echo "# Vendored by scripts/vendor_assets.sh from the pins in package.json. Do not edit by hand."
    for pkg in bootstrap bootstrap-icons htmx.org alpinejs echarts axe-core; do
        echo "$pkg $(version "$pkg")"
    done
} > "$DEST/VERSIONS.txt"

echo "vendored into $DEST:"
cat "$DEST/VERSIONS.txt"
