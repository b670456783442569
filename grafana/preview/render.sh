#!/usr/bin/env bash
# Renders the dashboard preview pictures (docs/images/dashboard-*.png): replays the sample household capture through
# the sensor into a throw-away influxd on 127.0.0.1, runs the dashboard's queries (query.mjs), draws their results
# in a self-contained page (build.mjs: uPlot and world-atlas inlined, no network) and screenshots it with headless
# Chromium (shoot.mjs). The pictures show the queries' data, not Grafana itself.
# Needs: influxd (Debian 'influxdb'), chromium, node with tests/node installed, the GeoIP data
# (TAPSENSOR_GEOIP_DIR; scripts/get-geoip-data.sh); all from scripts/install-test-deps.sh. Takes about a minute:
# the replay is paced (--pace) so that the sensor panels get a point per second.
set -euo pipefail
repo=$(cd "$(dirname "$0")/../.." && pwd)
here="$repo/grafana/preview"
out=${1:-$repo/docs/images}
geo=${TAPSENSOR_GEOIP_DIR:?set TAPSENSOR_GEOIP_DIR to the GeoIP data folder (scripts/get-geoip-data.sh downloads it)}
tapsensor=${TAPSENSOR:-$repo/src/TapSensor.Host/bin/Release/net10.0/tapsensor}
command -v influxd >/dev/null || { echo "influxd is missing: apt-get install influxdb (scripts/install-test-deps.sh)" >&2; exit 1; }
[ -d "$repo/tests/node/node_modules/playwright-core" ] || { echo "tests/node is not installed: run scripts/install-test-deps.sh" >&2; exit 1; }
[ -x "$tapsensor" ] || dotnet build "$repo/src/TapSensor.Host/TapSensor.Host.csproj" -c Release -v q

work=$(mktemp -d)
pid=""
cleanup() { [ -n "$pid" ] && kill -TERM "$pid" 2>/dev/null && wait "$pid" 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT
freeport() { python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1]);s.close()'; }
http=$(freeport); rpc=$(freeport)
sed -e "s|@DIR@|$work|g" -e "s|@RPC_PORT@|$rpc|" -e "s|@HTTP_PORT@|$http|" \
  "$here/influxdb.conf.template" > "$work/influxdb.conf"
influxd -config "$work/influxdb.conf" > "$work/influxd.log" 2>&1 & pid=$!
for _ in $(seq 100); do [ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$http/ping")" = 204 ] && break; sleep 0.1; done

"$tapsensor" sample "$work/household.pcap" --packets 20000 --seed 3
# Intervals of one second: the sample is half a minute of traffic (a household's dashboard uses 10 s and up).
TAPSENSOR_DATA="$work/state" TapSensor__Influx__SensorInterval=00:00:01 TapSensor__Influx__TrafficInterval=00:00:01 \
TapSensor__Influx__Sensor=home-server \
  "$tapsensor" read "$work/household.pcap" --pace --no-progress --geoip-dir "$geo" \
  --influx-url "http://127.0.0.1:$http" --influx-database tapsensor > "$work/read.log" 2>&1 || { cat "$work/read.log" >&2; exit 1; }

mkdir -p "$out"
node "$here/query.mjs" --url "http://127.0.0.1:$http" --db tapsensor --min-interval 1s --out "$work/data.json"
node "$here/build.mjs" "$work/data.json" "$work/dashboard-preview.html"
node "$here/shoot.mjs" "$work/dashboard-preview.html" "$out" dashboard > "$work/shoot.json" || { cat "$work/shoot.json" >&2; exit 1; }
ls -1 "$out"/dashboard-*.png
