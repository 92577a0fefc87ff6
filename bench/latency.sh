#!/usr/bin/env bash
# Benchmark: a live audit of the benchmarks' account at scale (seed_moto `scale`) behind a
# loopback proxy that delays every call by a fixed latency, as the network to AWS does.
# moto answers once: the audit runs through the proxy recording every answer, moto stops,
# and every timed audit is answered from that recording (moto, one Python process, adds
# tens of milliseconds to each call under load, which would be measured as orr's). Each
# replayed audit's findings are compared with the recorded audit's: the run fails if they
# differ or if any request had no recorded answer.
# For each latency, the audit at the default --concurrency 16, then at 256 (no request
# ever waits for a permit: the wall time then is the chain of dependent calls, the chain
# bound). Prints orr's wall time, the load average, and the proxy's view: requests,
# requests in flight (mean, peak, and mean until 16 were last in flight), the
# throughput bound (requests x latency / 16).
# Usage: bench/latency.sh  (LATENCIES="40 100" RUNS=1 by default; PROFILE=bench builds orr
# and the proxy optimised (Cargo.toml's bench profile) instead of the debug build, whose
# signing and parsing of every answer costs a few ms of CPU a call; ORR=path/to/orr to time
# another build of orr side by side, e.g. one built from an earlier commit; LOG=DIR keeps
# each run's per-call log, start and end in ms, to find chains of dependent calls)
set -euo pipefail
cd "$(dirname "$0")/.."
latencies=${LATENCIES:-40 100}
runs=${RUNS:-1}
orr=${ORR:-}
if [ -n "${LOG:-}" ]; then
    mkdir -p "$LOG"
fi

profile=${PROFILE:-dev}
cargo build -q --profile "$profile" --bin orr --example seed_moto --example latency_proxy
target=$(cargo metadata --format-version 1 --no-deps |
    python3 -c 'import json, sys; print(json.load(sys.stdin)["target_directory"])')
# Cargo writes the dev profile's binaries under debug/ and the bench profile's under release/.
case $profile in dev) built=$target/debug ;; bench) built=$target/release ;; *) built=$target/$profile ;; esac
orr=${orr:-$built/orr}
proxy="$built/examples/latency_proxy"

# shellcheck source=bench/moto.sh
. bench/moto.sh
"$built/examples/seed_moto" "$AWS_ENDPOINT_URL" scale
moto_url=$AWS_ENDPOINT_URL

# moto answers DescribeConformancePacks, GetAnomalyMonitors and ListBackupSelections with
# HTTP 500 every time, which the SDK retries with randomised backoff: leave those checks
# out and make one attempt per call, so the numbers measure orr, not retry backoff.
config="$work/orr.toml"
printf '[selection]\nexclude = ["config.conformance_pack", "ce.anomaly_detection", "backup.plan_exists"]\n' >"$config"

# One audit through the proxy started with "$@" (its last arguments: latency, concurrency);
# prints orr's wall time and the proxy's summary.
audit() {
    local concurrency=${*: -1} export=$1
    shift
    coproc PROXY { "$proxy" "$@"; }
    local proxy_pid=$PROXY_PID endpoint stats start elapsed
    read -r endpoint <&"${PROXY[0]}"
    start=$(date +%s%N)
    AWS_ENDPOINT_URL=$endpoint "$orr" --config "$config" audit --output none --export "$export" \
        --max-attempts 1 --concurrency "$concurrency" || [ $? -le 2 ]
    elapsed=$(( ($(date +%s%N) - start) / 1000000 ))
    exec {PROXY[1]}>&-
    read -r stats <&"${PROXY[0]}"
    wait "$proxy_pid" || true
    echo "orr ${elapsed} ms, load $(cut -d' ' -f1-3 /proc/loadavg); ${stats}"
}

# The findings of two exported audits, compared without the run's own fields (times, ids).
same_findings() {
    python3 - "$1" "$2" <<'EOF'
import json, sys
def findings(path):
    return sorted(json.dumps(f, sort_keys=True) for f in json.load(open(path))["findings"])
recorded, replayed = findings(sys.argv[1]), findings(sys.argv[2])
if recorded != replayed:
    only = lambda a, b: [f for f in a if f not in set(b)]
    print(f"replayed findings differ: {len(only(recorded, replayed))} only recorded, "
          f"{len(only(replayed, recorded))} only replayed; first of each:", file=sys.stderr)
    for f in (only(recorded, replayed)[:1] + only(replayed, recorded)[:1]):
        print("  " + f[:400], file=sys.stderr)
    sys.exit(1)
print(f"findings: {len(replayed)}, the same as recorded")
EOF
}

recording="$work/recording.json"
echo "recording (through moto, 0 ms added): $(audit "$work/recorded.json" --record "$recording" "$moto_url" 0 16)"
# Replay needs no moto: stopping it proves the timed audits never reach it.
kill "$moto"

for latency in $latencies; do
    for concurrency in 16 256; do
        for run in $(seq "$runs"); do
            log=()
            if [ -n "${LOG:-}" ]; then
                log=(--log "$LOG/latency-$latency-concurrency-$concurrency-run-$run.tsv")
            fi
            result=$(audit "$work/replayed.json" "${log[@]}" --replay "$recording" "$latency" "$concurrency")
            echo "latency ${latency} ms, concurrency ${concurrency}, run ${run}: ${result}"
            case $result in
            *"NOT RECORDED"*) echo "requests without a recorded answer: see above" >&2; exit 1 ;;
            esac
            same_findings "$work/recorded.json" "$work/replayed.json"
        done
    done
done
