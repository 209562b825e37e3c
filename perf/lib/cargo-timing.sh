# Sourced by the cargo benchmarks: timing one `cargo build`, medians and ranges of the samples, reading sccache-style
# stats, fresh workload copies. Needs $work (a scratch directory) and $root (the checkout) set by the caller.

# copy_workload NAME DEST: a fresh, writable copy of tests/workloads/NAME at DEST (needs $root).
copy_workload() { rm -rf "$2"; mkdir -p "$(dirname "$2")"; cp -r "$root/tests/workloads/$1" "$2"; chmod -R u+w "$2"; }

# Seconds of one `cargo build` in $1 (the environment picks the wrapper).
timed_build() {
  local start end
  start=$(date +%s%N)
  (cd "$1" && cargo build -q) >"$work/build.log" 2>&1 || { cat "$work/build.log" >&2; exit 1; }
  end=$(date +%s%N)
  awk -v ns="$((end - start))" 'BEGIN { printf "%.2f", ns / 1e9 }'
}
median() { tr ' ' '\n' | grep -v '^$' | sort -g | awk '{ a[NR] = $1 } END { print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }
range() { tr ' ' '\n' | grep -v '^$' | sort -g | awk 'NR == 1 { lo = $1 } { hi = $1 } END { printf "%s–%s", lo, hi }'; }
# A counter the stats leave out (as they do per-language lines at zero) reads as 0.
stat_of() { awk -v label="$2" 'index($0, label) == 1 { v = substr($0, length(label) + 1); gsub(/^ +/, "", v); split(v, f, " "); print f[1]; found = 1; exit } END { if (!found) print 0 }' "$1"; }

declare -A times
add() { times[$1]="${times[$1]:-} $2"; }

# Seconds until the local daemon has stored every compile handed over to it (it stores them after the build), at
# most 120 s. Needs $cachefarm and the daemon's environment (CACHEFARM_DATA_DIR).
stores_drained() {
  local start end n=0
  start=$(date +%s%N)
  while [ $n -lt 1200 ] && ! "$cachefarm" status | grep -q '^  queued 0 '; do sleep 0.1; n=$((n + 1)); done
  end=$(date +%s%N)
  awk -v ns="$((end - start))" 'BEGIN { printf "%.2f", ns / 1e9 }'
}
