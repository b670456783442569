#!/usr/bin/env bash
# Runs TapSensor's main job on a fresh machine.
#   ./scripts/run.sh                      generate a realistic household capture and read it
#   ./scripts/run.sh capture -i eth0 ...  capture live (needs root or CAP_NET_RAW+CAP_NET_ADMIN)
#   ./scripts/run.sh read FILE ...        any other tapsensor command
# Installs libpcap if it is missing, builds once (Release), then runs.
set -euo pipefail
cd "$(dirname "$0")/.."
if ! ldconfig -p 2>/dev/null | grep -q 'libpcap\.so'; then
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq && $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libpcap0.8 >/dev/null
fi
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
out=artifacts/tapsensor
dotnet publish src/TapSensor.Host -c Release -o "$out" --nologo -v quiet >/dev/null
if [ $# -gt 0 ]; then exec "$out/tapsensor" "$@"; fi
mkdir -p artifacts/sample
sample=artifacts/sample/household.pcap
[ -f "$sample" ] || "$out/tapsensor" sample "$sample" --packets 1000000
exec "$out/tapsensor" read "$sample" --flows artifacts/sample/flows.jsonl --summary-json artifacts/sample/summary.json
