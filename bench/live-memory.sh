#!/usr/bin/env bash
# Benchmark: peak RSS and wall time of a full live `orr audit` of one account seeded at
# scale in moto (the test scenario plus 100 buckets, 30 databases, 100 users, 50 queues,
# 20 ECS services), each given orr binary in turn, in one run. Usage:
#   bench/live-memory.sh [ORR_BINARY...]   (default: the debug build; RUNS=5)
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${RUNS:-5}
command -v /usr/bin/time >/dev/null || { echo "bench: needs GNU time (apt-get install time)" >&2; exit 3; }

cargo build -q --bin orr --example seed_moto
target=$(cargo metadata --format-version 1 --no-deps |
    python3 -c 'import json, sys; print(json.load(sys.stdin)["target_directory"])')
binaries=("$@")
[ ${#binaries[@]} -gt 0 ] || binaries=("$target/debug/orr")

# shellcheck source=bench/moto.sh
. bench/moto.sh
"$target/debug/examples/seed_moto" "$AWS_ENDPOINT_URL" scale

# The checks moto answers with HTTP 500 every time are left out, one attempt per call
# (see bench/moto-audit.sh): the numbers measure orr, not retry backoff.
printf '[selection]\nexclude = ["config.conformance_pack", "ce.anomaly_detection", "backup.plan_exists"]\n' >"$work/orr.toml"
median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
for binary in "${binaries[@]}"; do
    rss=()
    walls=()
    for run in $(seq "$runs"); do
        /usr/bin/time -o "$work/time" -f '%e %M' "$binary" --config "$work/orr.toml" audit \
            --output none --max-attempts 1 || [ $? -le 2 ]
        read -r wall kb < <(tail -1 "$work/time")
        rss+=("$kb")
        walls+=("$wall")
        echo "$binary run $run: ${wall} s, peak RSS $((kb / 1024)) MiB"
    done
    echo "$binary: median ${walls[*]+$(printf '%s\n' "${walls[@]}" | median)} s, peak RSS $(printf '%s\n' "${rss[@]}" | sort -n | head -1 | awk '{printf "%.1f", $1/1024}')-$(printf '%s\n' "${rss[@]}" | sort -n | tail -1 | awk '{printf "%.1f", $1/1024}') MiB"
done
