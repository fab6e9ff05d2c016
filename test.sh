#!/usr/bin/env bash
# Runs every test of CmacLive on a fresh Debian machine with the .NET SDK:
# installs what is missing (PostgreSQL, Mosquitto, Chromium, Node.js and npm), starts a throwaway PostgreSQL on a free loopback port
# (the tests start their own Mosquitto brokers),
# runs `dotnet test` over the solution, cleans up, and ends with one line "N passed, N failed".
set -euo pipefail
cd "$(dirname "$0")"
root=$(pwd)

log() { printf '[test.sh] %s\n' "$*" >&2; }

as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

apt_updated=
need_packages=()
pg_bindir() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1; }
[ -n "$(pg_bindir)" ] && [ -x "$(pg_bindir)/initdb" ] || need_packages+=(postgresql)
[ -x /usr/sbin/mosquitto ] && [ -x /usr/bin/mosquitto_passwd ] || need_packages+=(mosquitto)
# The TLS tests publish with Mosquitto's own client, as a field integrator would; the README's quick start, run as
# written by QuickStartTests, uses it with curl and jq.
[ -x /usr/bin/mosquitto_pub ] || need_packages+=(mosquitto-clients)
command -v jq >/dev/null 2>&1 || need_packages+=(jq)
command -v curl >/dev/null 2>&1 || need_packages+=(curl)
# The dashboard tests drive Debian's own headless Chromium (never a downloaded browser); npm builds the dashboard.
[ -x /usr/bin/chromium ] || need_packages+=(chromium)
command -v npm >/dev/null 2>&1 || need_packages+=(nodejs npm)
if [ ${#need_packages[@]} -gt 0 ]; then
  log "installing ${need_packages[*]}"
  if [ -z "$apt_updated" ]; then as_root apt-get update -qq; apt_updated=1; fi
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need_packages[@]}" >/dev/null
fi

# The npm packages of the tests' own tools (the dashboard's are installed by its build): the container files' linters, and
# the validator OpenApiTests check the API document with against the official OpenAPI 3.1 JSON schema.
for tool in docker/lint tools/openapi-check; do
  log "installing the npm packages of $tool"
  (cd "$root/$tool" && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
done

free_port() {
  local port
  while :; do
    port=$(( (RANDOM % 20000) + 20000 ))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then echo "$port"; return; fi
  done
}

# A throwaway PostgreSQL, as the postgres user when we are root (initdb refuses to run as root).
work=$(mktemp -d /tmp/cmaclive-test.XXXXXX)
chmod 755 "$work"
pg_dir="$work/pg"
pg_port=$(free_port)
pg_user=$(id -un)
run_pg() { if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
if [ "$(id -u)" -eq 0 ]; then pg_user=postgres; fi
mkdir -p "$pg_dir"
[ "$(id -u)" -eq 0 ] && chown postgres:postgres "$pg_dir"

cleanup() {
  set +e
  run_pg "$(pg_bindir)/pg_ctl" -D "$pg_dir/data" -m immediate stop >/dev/null 2>&1
  rm -rf "$work"
}
trap cleanup EXIT

log "starting PostgreSQL on 127.0.0.1:$pg_port"
run_pg "$(pg_bindir)/initdb" -D "$pg_dir/data" -U "$pg_user" -A trust -E UTF8 >/dev/null
run_pg "$(pg_bindir)/pg_ctl" -D "$pg_dir/data" -l "$pg_dir/server.log" -w \
  -o "-p $pg_port -k $pg_dir -c listen_addresses=127.0.0.1 -c fsync=off" start >/dev/null
run_pg "$(pg_bindir)/createdb" -h 127.0.0.1 -p "$pg_port" -U "$pg_user" cmaclive_test
export CMAC_TEST_POSTGRES="Host=127.0.0.1;Port=$pg_port;Username=$pg_user;Database=cmaclive_test"

log "running dotnet test"
set +e
dotnet test "$root/CmacLive.sln" --nologo -v minimal 2>&1 | tee "$work/dotnet-test.log"
status=${PIPESTATUS[0]}
set -e

passed=0
failed=0
while read -r f p; do
  passed=$((passed + p))
  failed=$((failed + f))
done < <(sed -nE 's/.*(Passed|Failed)! +- +Failed: +([0-9]+), +Passed: +([0-9]+),.*/\2 \3/p' "$work/dotnet-test.log")

projects=$(ls "$root"/tests/*/*.csproj | wc -l)
reported=$(grep -cE '(Passed|Failed)! +- +Failed:' "$work/dotnet-test.log" || true)
if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then
  failed=1
  log "dotnet test exited with $status without a failed test: counted as a failure"
fi
if [ "$reported" -lt "$projects" ]; then
  log "only $reported of $projects test projects reported results"
  [ "$failed" -eq 0 ] && failed=1
fi

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
