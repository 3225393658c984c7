#!/usr/bin/env bash
# The cold first run: a fresh clone with an empty package cache, from `git clone` to the first email the embedded
# SMTP sink writes under `dotnet run --project FoodOrdering.AppHost`.
#
#   bench/first-run.sh [commit] [runs]      e.g. bench/first-run.sh HEAD 2
#
# Each run clones this repository at the commit into a new temporary directory and gives it its own NuGet package
# folder, NuGet HTTP cache and .NET CLI home, all empty, so nothing comes from an earlier restore. It times three
# phases: the clone; `dotnet build FoodOrdering.AppHost` (restore and build, what `dotnet run` does first); and
# `dotnet run --no-build` up to the first `.eml` file in the run's own mail directory. The AppHost binds fixed ports
# (9092, 15180, ...), so the start runs under `flock /tmp/apphost.lock`; the AppHost's whole process group is stopped
# afterwards and the script fails if anything still listens on those ports. The run's directory, packages included,
# is deleted at the end. One tab-separated line per run goes to stdout (and to bench/results/first-run.tsv).
set -euo pipefail

commit=${1:-HEAD}
runs=${2:-2}
repo=$(git -C "$(dirname "$0")/.." rev-parse --show-toplevel)
sha=$(git -C "$repo" rev-parse --short "$commit")
results="$repo/bench/results"
mkdir -p "$results"
ports=(9092 15180 5181 5184)
email_timeout=${FIRST_RUN_EMAIL_TIMEOUT:-600}

now() { date +%s.%N; }
seconds() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", b - a }'; }

listening() {
  local port
  for port in "${ports[@]}"; do
    ss -Htln "sport = :$port" | grep -q . && echo "$port"
  done
  return 0
}

stop_group() {
  local pgid=$1
  kill -TERM -- "-$pgid" 2>/dev/null || return 0
  for _ in $(seq 60); do
    kill -0 -- "-$pgid" 2>/dev/null || return 0
    sleep 0.5
  done
  kill -KILL -- "-$pgid" 2>/dev/null || true
}

one_run() {
  local run=$1 work t0 t1 t2 t3 t4 pid packages_mb
  work=$(mktemp -d "${TMPDIR:-/tmp}/first-run.XXXXXX")
  trap 'rm -rf "$work"' RETURN
  export NUGET_PACKAGES="$work/packages" NUGET_HTTP_CACHE_PATH="$work/http-cache" \
    NUGET_PLUGINS_CACHE_PATH="$work/plugins-cache" DOTNET_CLI_HOME="$work/cli-home" MSBUILDDISABLENODEREUSE=1
  mkdir -p "$work/mail"

  t0=$(now)
  git clone -q --no-local "$repo" "$work/src"
  git -C "$work/src" checkout -q --detach "$sha"
  t1=$(now)
  dotnet build "$work/src/FoodOrdering.AppHost" -v q -nologo > "$work/build.log" 2>&1 \
    || { cat "$work/build.log" >&2; return 1; }
  t2=$(now)
  packages_mb=$(du -sm "$NUGET_PACKAGES" | cut -f1)
  du -sm "$NUGET_PACKAGES"/* | sort -rn | head -8 > "$results/first-run-$sha-$run-largest.txt"

  # The lock is taken only for the start, the one phase that binds the AppHost's ports.
  exec 9> /tmp/apphost.lock
  flock 9
  if [ -n "$(listening)" ]; then echo "ports in use before the run: $(listening)" >&2; flock -u 9; return 1; fi
  t3=$(now)
  setsid dotnet run --project "$work/src/FoodOrdering.AppHost" --no-build -- \
    --Embedded:MailDirectory "$work/mail" > "$work/run.log" 2>&1 9>&- &
  pid=$!
  local found=""
  while [ -z "$found" ]; do
    found=$(find "$work/mail" -name '*.eml' -print -quit)
    if [ -z "$found" ]; then
      if ! kill -0 "$pid" 2>/dev/null; then echo "the AppHost exited before any email" >&2; cat "$work/run.log" >&2; break; fi
      if [ "$(seconds "$t3" "$(now)" | cut -d. -f1)" -ge "$email_timeout" ]; then echo "no email in ${email_timeout}s" >&2; break; fi
      sleep 0.2
    fi
  done
  t4=$(now)
  grep -E '\b(warn|fail|crit)\b|Warning' "$work/run.log" > "$results/first-run-$sha-$run-warnings.txt" || true
  stop_group "$pid"
  wait "$pid" 2>/dev/null || true
  # Whatever the AppHost started outside its process group still runs from the clone: stopped by its id.
  local stray
  for stray in $(pgrep -f "$work/" || true); do kill -KILL "$stray" 2>/dev/null || true; done
  # The services the orchestrator started close their ports shortly after the AppHost is gone.
  local left
  for _ in $(seq 60); do
    left=$(listening)
    [ -z "$left" ] && break
    sleep 0.5
  done
  flock -u 9
  exec 9>&-
  [ -n "$left" ] && { echo "still listening 30 s after the run: $left" >&2; return 1; }
  [ -z "$found" ] && return 1

  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$sha" "$run" "$(seconds "$t0" "$t1")" "$(seconds "$t1" "$t2")" \
    "$(seconds "$t3" "$t4")" "$(seconds "$t0" "$t4" | awk -v w="$(seconds "$t2" "$t3")" '{ printf "%.1f", $1 - w }')" \
    "$packages_mb" "$(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$results/first-run.tsv"
}

echo -e "commit\trun\tclone s\trestore+build s\tstart to first email s\ttotal s\tpackages MB\tload (1/5/15 min)"
for run in $(seq "$runs"); do
  one_run "$run"
done
