#!/usr/bin/env bash
# Publishes tapsensor the one way everything uses: scripts/run.sh, the container image (docker/Dockerfile) and the
# tests that run the published executable.
#
#   scripts/publish.sh [OUTDIR]        (default: artifacts/tapsensor)
#
# Release build of src/TapSensor.Host, framework-dependent: OUTDIR holds tapsensor (the native launcher,
# "apphost"), its dlls and appsettings.json, and runs on the installed .NET 10 runtime
# (mcr.microsoft.com/dotnet/runtime:10.0 in the image). Framework-dependent because the runtime then comes, and is
# patched, with the base image or the distribution rather than being frozen into every build; the output is about
# 10 MB instead of 80; no runtime pack has to be downloaded; and it is built for whatever architecture the SDK
# runs on (x64, arm64: the same Dockerfile builds for a Raspberry Pi). Capture capabilities go on the launcher
# (setcap cap_net_raw,cap_net_admin+ep OUTDIR/tapsensor), never on the shared `dotnet` host.
#
# Extra arguments after OUTDIR go to `dotnet publish` (e.g. --no-restore after a separate restore step).
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
out=${1:-$repo/artifacts/tapsensor}
[ $# -gt 0 ] && shift
command -v dotnet >/dev/null 2>&1 || { echo "publish.sh: the .NET 10 SDK is required (https://dot.net)" >&2; exit 1; }
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
log=$(mktemp)
trap 'rm -f "$log"' EXIT
# Quiet on success; on failure the build's own messages go to stderr.
if ! dotnet publish "$repo/src/TapSensor.Host/TapSensor.Host.csproj" -c Release -o "$out" --self-contained false \
  -p:UseAppHost=true --nologo -v quiet "$@" >"$log" 2>&1; then
  cat "$log" >&2
  echo "publish.sh: dotnet publish failed" >&2
  exit 1
fi
[ -x "$out/tapsensor" ] || { echo "publish.sh: no executable at $out/tapsensor" >&2; exit 1; }
echo "$out/tapsensor"
