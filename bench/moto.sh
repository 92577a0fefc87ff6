# Sourced by the moto benchmarks: starts moto_server on a free loopback port as the tests
# start it (no default AMIs, whose snapshots moto lists as the account's own; ACM
# certificates issued at once), stops it on exit, and points the AWS SDK at it.
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
MOTO_EC2_LOAD_DEFAULT_AMIS=false MOTO_ACM_VALIDATION_WAIT=0 moto_server -H 127.0.0.1 -p "$port" >/dev/null 2>&1 &
moto=$!
work=$(mktemp -d)
trap 'kill $moto 2>/dev/null || true; rm -rf "$work"' EXIT
for _ in $(seq 100); do
    (echo >/dev/tcp/127.0.0.1/"$port") 2>/dev/null && break
    sleep 0.1
done
export AWS_ACCESS_KEY_ID=testing AWS_SECRET_ACCESS_KEY=testing AWS_REGION=us-east-1
export AWS_EC2_METADATA_DISABLED=true AWS_CONFIG_FILE=/dev/null AWS_SHARED_CREDENTIALS_FILE=/dev/null
export AWS_ENDPOINT_URL="http://127.0.0.1:$port"
