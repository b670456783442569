#!/usr/bin/env bash
# Whole-pipeline replay benchmark: one command, see benchmarks/README.md.
#
#   benchmarks/run-benchmarks.sh [WORK_DIR]
#
# Builds the replay tool (Release) and the C floor, generates the captures into WORK_DIR (default
# artifacts/bench; existing captures are reused), then runs ROUNDS interleaved rounds of tcpdump, pcap_floor
# and the replay on each capture and prints a markdown table of medians.
#
# Environment: ROUNDS (3), HOUSEHOLD_PACKETS (5000000), FLOOD_PACKETS (2000000), SEED (1),
#              REPLAY (command that runs the replay tool; default: dotnet <Release TapSensor.Replay.dll>).
#              SEED, when set, is passed to the generator as --seed.
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
work=${1:-${WORK_DIR:-$repo/artifacts/bench}}
rounds=${ROUNDS:-3}
household_packets=${HOUSEHOLD_PACKETS:-5000000}
flood_packets=${FLOOD_PACKETS:-2000000}
seed_args=()
[ -n "${SEED:-}" ] && seed_args=(--seed "$SEED")
replay_dll=$repo/benchmarks/TapSensor.Replay/bin/Release/net10.0/TapSensor.Replay.dll
if [ -n "${REPLAY:-}" ]; then read -r -a replay_cmd <<< "$REPLAY"; else replay_cmd=(dotnet "$replay_dll"); fi
floor=$repo/benchmarks/floor/pcap_floor

need() { command -v "$1" >/dev/null 2>&1 || { echo "run-benchmarks: '$1' is missing. $2" >&2; exit 1; }; }
need dotnet "Install the .NET 10 SDK."
need cc "Install gcc (Debian: apt-get install -y gcc)."
need tcpdump "Debian: apt-get install -y tcpdump."
need editcap "Debian: apt-get install -y wireshark-common (or tshark)."
need python3 "Debian: apt-get install -y python3."
[ -x /usr/bin/time ] || { echo "run-benchmarks: /usr/bin/time is missing. Debian: apt-get install -y time" >&2; exit 1; }
[ -f /usr/include/pcap/pcap.h ] || { echo "run-benchmarks: libpcap headers are missing. Debian: apt-get install -y libpcap0.8-dev" >&2; exit 1; }

# (a) build
echo "== build" >&2
dotnet build -c Release "$repo/benchmarks/TapSensor.Replay" -nologo -v quiet >&2
cc -O2 -o "$floor" "$repo/benchmarks/floor/pcap_floor.c" -lpcap

# (b) captures; each is written to a temporary name first so an interrupted run never leaves a partial file.
mkdir -p "$work"
generate() {
    local kind=$1 out=$2 packets=$3
    if [ -s "$out" ]; then
        echo "== reusing $out" >&2
        return
    fi
    echo "== generating $out ($packets packets)" >&2
    rm -f "$out.tmp"
    if ! "${replay_cmd[@]}" generate "$kind" "$out.tmp" --packets "$packets" "${seed_args[@]}" >&2 || [ ! -s "$out.tmp" ]; then
        rm -f "$out.tmp"
        echo "run-benchmarks: '${replay_cmd[*]} generate $kind' did not write $out.tmp; generate the capture another way into $out and rerun." >&2
        exit 1
    fi
    mv "$out.tmp" "$out"
}
generate household "$work/household.pcap" "$household_packets"
generate flood "$work/flood.pcap" "$flood_packets"
if [ ! -s "$work/household-96.pcap" ]; then
    echo "== cutting $work/household-96.pcap (snap length 96)" >&2
    editcap -s 96 "$work/household.pcap" "$work/household-96.pcap.tmp"
    mv "$work/household-96.pcap.tmp" "$work/household-96.pcap"
fi

# (c) interleaved rounds and (d) the table
commit=$(git -C "$repo" rev-parse --short HEAD 2>/dev/null || echo unknown)
if [ -n "$(git -C "$repo" status --porcelain --untracked-files=no 2>/dev/null)" ]; then commit="$commit (dirty)"; fi
export BENCH_WORK=$work BENCH_ROUNDS=$rounds BENCH_FLOOR=$floor BENCH_REPLAY="$(printf '%q ' "${replay_cmd[@]}")" BENCH_COMMIT=$commit
python3 - <<'PY'
"""Interleaved rounds: every tool runs once on every capture per round, so slow drifts of a shared machine hit
all tools alike; medians over the rounds go into the table."""
import datetime, json, os, platform, shlex, statistics, subprocess, sys, tempfile, time

work = os.environ["BENCH_WORK"]
rounds = int(os.environ["BENCH_ROUNDS"])
floor = os.environ["BENCH_FLOOR"]
replay = shlex.split(os.environ["BENCH_REPLAY"])
commit = os.environ["BENCH_COMMIT"]
REQUIRED = ["packets", "seconds", "packets_per_second", "ns_per_packet", "startup_seconds", "cpu_ns_per_packet", "alloc_bytes_per_packet",
            "gc0", "gc1", "gc2", "peak_rss_bytes", "active_flows_peak", "bytes_per_active_flow", "flows", "evicted", "ring_drops"]

captures = [(name, os.path.join(work, name + ".pcap")) for name in ("household", "household-96", "flood")]

def tools(capture, path):
    rows = [("tcpdump", ["tcpdump", "-r", path, "-w", "/dev/null"]),
            ("pcap_floor", [floor, path]),
            # The same floor with the 1 MiB stream buffer the sensor gives libpcap: the fair ceiling for its reads.
            ("pcap_floor 1MiB", [floor, "--buffer", "1048576", path])]
    if capture != "flood":
        rows += [("replay w1", replay + ["replay", path, "--workers", "1"]),
                 ("replay w2", replay + ["replay", path, "--workers", "2"]),
                 # The same pipeline counting flows only: what learning devices and names costs.
                 ("replay w1 no-names", replay + ["replay", path, "--workers", "1", "--names", "off"])]
    else:
        # Every SYN opens a flow: the table is held at its bound (250 000, the replay's default) by eviction, and
        # at 1 000 000 the flood fills it, which measures the bytes per active flow at a million flows.
        rows += [("replay w1 max-flows 250k", replay + ["replay", path, "--workers", "1", "--max-flows", "250000"]),
                 ("replay w2 max-flows 250k", replay + ["replay", path, "--workers", "2", "--max-flows", "250000"]),
                 ("replay w1 max-flows 1M", replay + ["replay", path, "--workers", "1", "--max-flows", "1000000"])]
    return rows

def json_line(text):
    """The last stdout line that parses as a JSON object, or None."""
    for line in reversed(text.splitlines()):
        line = line.strip()
        if line.startswith("{"):
            try:
                value = json.loads(line)
                return value if isinstance(value, dict) else None
            except ValueError:
                return None
    return None

def measure(command):
    with tempfile.NamedTemporaryFile("r") as usage:
        start = time.perf_counter()
        try:
            done = subprocess.run(["/usr/bin/time", "-f", "%U %S %M", "-o", usage.name] + command,
                                  stdin=subprocess.DEVNULL, capture_output=True, text=True)
        except OSError as e:
            return {"rc": 127, "error": str(e)}
        wall = time.perf_counter() - start
        fields = usage.read().split()
    result = {"rc": done.returncode, "wall_seconds": wall, "report": json_line(done.stdout),
              "error": done.stderr.strip().splitlines()[-1] if done.returncode and done.stderr.strip() else None}
    if len(fields) >= 3:
        result["cpu_seconds"] = float(fields[-3]) + float(fields[-2])
        result["peak_rss_bytes"] = int(fields[-1]) * 1024
    return result

results = {}
raw_path = os.path.join(work, "results.jsonl")
with open(raw_path, "w") as raw:
    for r in range(1, rounds + 1):
        for capture, path in captures:
            for tool, command in tools(capture, path):
                m = measure(command)
                m.update(round=r, capture=capture, tool=tool, command=" ".join(command))
                raw.write(json.dumps(m) + "\n")
                raw.flush()
                results.setdefault((capture, tool), []).append(m)
                state = "ok" if m["rc"] == 0 else f"exit {m['rc']}: {m.get('error')}"
                print(f"round {r}/{rounds} {capture:13} {tool:26} {m.get('wall_seconds', 0):8.3f} s  {state}", flush=True,
                      file=sys.stderr)

def median(values):
    values = [v for v in values if v is not None]
    return statistics.median(values) if values else None

def summary(capture, tool, packets):
    runs = results.get((capture, tool), [])
    good = [m for m in runs if m["rc"] == 0 and (not tool.startswith("replay") or m["report"] is not None)]
    if not good or not packets:
        return None
    wall = median([m["wall_seconds"] for m in good])
    cpu = median([m.get("cpu_seconds") for m in good])
    reports = [m["report"] for m in good if m["report"]]
    s = {"pps": packets / wall, "cpu_ns": cpu * 1e9 / packets if cpu is not None else None,
         "rss": median([m.get("peak_rss_bytes") for m in good]),
         "own_pps": median([r.get("packets_per_second") for r in reports]),
         "alloc": median([r.get("alloc_bytes_per_packet") for r in reports]),
         "alloc_steady": median([r.get("alloc_bytes_per_packet_second_half") for r in reports]),
         "active_peak": median([r.get("active_flows_peak") for r in reports]),
         "per_flow": median([r.get("bytes_per_active_flow") for r in reports]),
         "evicted": median([r.get("evicted") for r in reports]),
         "ring_drops": median([r.get("ring_drops") for r in reports]),
         "startup": median([r.get("startup_seconds") for r in reports]),
         "missing": sorted({k for r in reports for k in REQUIRED if k not in r}) if tool.startswith("replay") else []}
    return s

def fmt(value, digits=0, unit=""):
    if value is None:
        return "n/a"
    return f"{value:,.{digits}f}{unit}"

lines = ["| capture | tool | packets/s | CPU ns/packet | vs pcap_floor | vs pcap_floor 1MiB | vs tcpdump | alloc B/packet (steady / whole run) | peak RSS MiB | self-reported packets/s |",
         "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|"]
notes = []
for capture, path in captures:
    floor_runs = [m for m in results.get((capture, "pcap_floor"), []) if m["rc"] == 0 and m["report"]]
    packets = floor_runs[0]["report"]["packets"] if floor_runs else None
    base = summary(capture, "pcap_floor", packets)
    buffered = summary(capture, "pcap_floor 1MiB", packets)
    dump = summary(capture, "tcpdump", packets)
    for tool, _ in tools(capture, path):
        s = summary(capture, tool, packets)
        if s is None:
            runs = results.get((capture, tool), [])
            why = next((m.get("error") or ("no JSON line on stdout" if m["rc"] == 0 else f"exit {m['rc']}") for m in runs), "not run")
            lines.append(f"| {capture} | {tool} | n/a | n/a | n/a | n/a | n/a | n/a | n/a | n/a |")
            notes.append(f"{capture} / {tool}: {why}")
            continue
        if s["missing"]:
            notes.append(f"{capture} / {tool}: JSON line lacks {', '.join(s['missing'])}")
        vs_floor = s["pps"] / base["pps"] if base else None
        vs_buffered = s["pps"] / buffered["pps"] if buffered else None
        vs_dump = s["pps"] / dump["pps"] if dump else None
        lines.append(f"| {capture} | {tool} | {fmt(s['pps'])} | {fmt(s['cpu_ns'])} | {fmt(vs_floor, 2, 'x')} | {fmt(vs_buffered, 2, 'x')} | "
                     f"{fmt(vs_dump, 2, 'x')} | {fmt(s['alloc_steady'], 2)} / {fmt(s['alloc'], 1)} | {fmt(s['rss'] / 2**20 if s['rss'] else None, 1)} | {fmt(s['own_pps'])} |")

# The flow table under the flood: bound, memory per flow, evictions, drops.
flood_lines = ["", "| flood tool | active flows (peak) | table bytes per active flow | evicted | ring drops | peak RSS MiB |",
               "|---|---:|---:|---:|---:|---:|"]
flood_packets = None
for capture, path in captures:
    if capture != "flood":
        continue
    floor_runs = [m for m in results.get((capture, "pcap_floor"), []) if m["rc"] == 0 and m["report"]]
    flood_packets = floor_runs[0]["report"]["packets"] if floor_runs else None
    for tool, _ in tools(capture, path):
        s = summary(capture, tool, flood_packets) if tool.startswith("replay") else None
        if s is None:
            continue
        flood_lines.append(f"| {tool} | {fmt(s['active_peak'])} | {fmt(s['per_flow'])} | {fmt(s['evicted'])} | {fmt(s['ring_drops'])} | "
                           f"{fmt(s['rss'] / 2**20 if s['rss'] else None, 1)} |")
lines += flood_lines

def first_lines(command, count=1):
    try:
        out = subprocess.run(command, capture_output=True, text=True)
        return ", ".join((out.stdout or out.stderr).strip().splitlines()[:count]) or "unknown"
    except OSError:
        return "unknown"

cpu_model = "unknown"
try:
    with open("/proc/cpuinfo") as f:
        cpu_model = next((l.split(":", 1)[1].strip() for l in f if l.startswith("model name")), "unknown")
except OSError:
    pass
machine = [f"- machine: {os.cpu_count()} CPUs ({len(os.sched_getaffinity(0))} usable), {cpu_model}, kernel {platform.release()}",
           f"- software: .NET {first_lines(['dotnet', '--version'])}, {first_lines(['tcpdump', '--version'], 2)}",
           f"- commit: {commit}; {rounds} interleaved rounds, medians; {datetime.datetime.now(datetime.timezone.utc):%Y-%m-%d %H:%M} UTC",
           f"- captures: " + ", ".join(f"{name} {os.path.getsize(p) / 2**20:,.0f} MiB" for name, p in captures if os.path.exists(p))]
report = "\n".join(lines + [""] + machine + ([""] + [f"- note: {n}" for n in notes] if notes else [])) + "\n"
with open(os.path.join(work, "results.md"), "w") as f:
    f.write(report)
print(report, end="")
PY
