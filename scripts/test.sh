#!/usr/bin/env bash
# The one command that installs what the tests need and runs them all:
#   ./scripts/test.sh
# Ends with one line "N passed, N failed, N skipped"; exits non-zero if anything failed or did not build.
set -uo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-test-deps.sh || exit 1
# The real GeoIP data for the integration tests (idempotent: a second run only asks npm for the versions).
export TAPSENSOR_GEOIP_DIR=${TAPSENSOR_GEOIP_DIR:-$PWD/artifacts/geoip}
bash scripts/get-geoip-data.sh "$TAPSENSOR_GEOIP_DIR" || echo "test.sh: no GeoIP data; the real-data GeoIP tests will be skipped" >&2
# The world map's country shapes for the HTML report tests (Natural Earth via world-atlas; idempotent, pinned).
export TAPSENSOR_MAP_DIR=${TAPSENSOR_MAP_DIR:-$PWD/artifacts/map}
bash scripts/get-map-data.sh "$TAPSENSOR_MAP_DIR" || echo "test.sh: no map data; the HTML map browser tests will fail naming scripts/get-map-data.sh" >&2
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
results=$(mktemp -d)
dotnet test TapSensor.sln -c Release --logger trx --results-directory "$results" --logger "console;verbosity=minimal"
rc=$?
python3 scripts/trx-summary.py "$results"
summary_rc=$?
rm -rf "$results"
[ $rc -eq 0 ] && [ $summary_rc -eq 0 ]
