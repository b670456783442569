#!/usr/bin/env bash
# Runs TapSensor's main job on a fresh machine.
#   ./scripts/run.sh                      generate a realistic household capture, read it into the store, report
#   ./scripts/run.sh capture -i eth0 ...  capture live (needs root or CAP_NET_RAW+CAP_NET_ADMIN)
#   ./scripts/run.sh read FILE ...        any other tapsensor command
# Installs libpcap and the IEEE MAC listings (ieee-data) if they are missing, fetches the free geolocation
# data and the world map's country shapes into the default data folder
# (scripts/get-geoip-data.sh, scripts/get-map-data.sh; need npm), builds once (Release), then runs.
set -euo pipefail
cd "$(dirname "$0")/.."
need=()
ldconfig -p 2>/dev/null | grep -q 'libpcap\.so' || need+=(libpcap0.8)
[ -f /usr/share/ieee-data/oui.csv ] || need+=(ieee-data)
command -v npm >/dev/null 2>&1 || need+=(npm)
if ((${#need[@]})); then
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq && $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi
# Free city and provider data (DB-IP City Lite, ASN ranges); a failure only costs the geolocation.
./scripts/get-geoip-data.sh || echo "run.sh: no geolocation data; flows will have no country (see README, Geolocation)" >&2
# Country shapes for the HTML report's world map (Natural Earth); without them the map is a plain lat/lon grid.
./scripts/get-map-data.sh || echo "run.sh: no map data; HTML reports draw their places on a plain grid (see README, The HTML map)" >&2
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
out=artifacts/tapsensor
./scripts/publish.sh "$out" >/dev/null   # the same publish as the container image and the tests
if [ $# -gt 0 ]; then exec "$out/tapsensor" "$@"; fi
mkdir -p artifacts/sample
sample=artifacts/sample/household.pcap
[ -f "$sample" ] || "$out/tapsensor" sample "$sample" --packets 1000000
"$out/tapsensor" read "$sample" --flows artifacts/sample/flows.jsonl --summary-json artifacts/sample/summary.json --db artifacts/sample/tapsensor.db \
  --devices artifacts/sample/devices.json
# No servers needed: the household report over the stored flows, as tables, JSON and one HTML page with the map.
exec "$out/tapsensor" report --db artifacts/sample/tapsensor.db --top 5 --json artifacts/sample/report.json --html artifacts/sample/report.html
