#!/usr/bin/env bash
# The csmith soak: N new random programs (default 2000), each built as a kernel module and as a
# native program (scripts/csmith-build.sh), run on modfs (scripts/diff-run.mjs, needs dist/:
# `npm run build`) and natively; every difference is reported with its seed, and the run goes on.
#
#   scripts/csmith-soak.sh [N [FIRST_SEED]]
#   SOAK_DIR=/tmp/soak BATCH=50 BUDGET=500000000 scripts/csmith-soak.sh 2000 100000
#
# Seeds are FIRST_SEED, FIRST_SEED+1, ... so a run is reproducible. Results go to $SOAK_DIR:
#   soak.log         one line per batch (and the totals at the end)
#   results.tsv      seed, verdict, native checksum, module output, instructions, ms
#   mismatches.txt   the seeds whose module output differs from the native output
# Verdicts: match, MISMATCH, module-error (load/oops/lockup), native-timeout (> 1 s natively:
# skipped), native-crash, build-failed (csmith, gcc or kbuild).
set -uo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
N=${1:-2000}
FIRST=${2:-100000}
BATCH=${BATCH:-50}
BUDGET=${BUDGET:-500000000}
SOAK_DIR=${SOAK_DIR:-/tmp/modfs-csmith-soak}
mkdir -p "$SOAK_DIR"
[[ -f $ROOT/dist/kernel/kernel.js ]] || { echo "csmith-soak: build dist/ first (npm run build)" >&2; exit 1; }

declare -A total=()
seed=$FIRST
last=$((FIRST + N))
while [[ $seed -lt $last ]]; do
	end=$((seed + BATCH < last ? seed + BATCH : last))
	bdir=$SOAK_DIR/batch_$seed
	rm -rf "$bdir"
	bash "$ROOT/scripts/csmith-build.sh" "$bdir" $(seq "$seed" $((end - 1)))
	kos=()
	for s in $(seq "$seed" $((end - 1))); do [[ -f $bdir/cs_$s.ko ]] && kos+=("$bdir/cs_$s.ko"); done
	if [[ ${#kos[@]} -gt 0 ]]; then
		node "$ROOT/scripts/diff-run.mjs" --json --budget "$BUDGET" "${kos[@]}" >"$bdir/modfs.jsonl" 2>"$bdir/modfs.err"
	else
		: >"$bdir/modfs.jsonl"
	fi
	node - "$bdir" >>"$SOAK_DIR/results.tsv" <<'JS'
const fs = require('node:fs');
const dir = process.argv[2];
const mods = new Map();
for (const l of fs.readFileSync(`${dir}/modfs.jsonl`, 'utf8').split('\n').filter(Boolean)) {
  const r = JSON.parse(l);
  mods.set(/cs_(\d+)\.ko$/.exec(r.ko)[1], r);
}
for (const l of fs.readFileSync(`${dir}/native.tsv`, 'utf8').split('\n').filter(Boolean)) {
  const [seed, status, native] = l.split('\t');
  const m = mods.get(seed);
  let verdict;
  if (status === 'timeout') verdict = 'native-timeout';
  else if (status === 'crash') verdict = 'native-crash';
  else if (status !== 'ok' || !m) verdict = 'build-failed';
  else if (m.error) verdict = 'module-error';
  else verdict = m.lines.join('|') === native ? 'match' : 'MISMATCH';
  const got = m ? (m.error ? `${m.lines.join('|')} [${m.error}]` : m.lines.join('|')) : '-';
  console.log([seed, verdict, native, got, m?.instructions ?? 0, m?.ms ?? 0].join('\t'));
}
JS
	counts=$(awk -F'\t' -v lo="$seed" -v hi="$end" '$1 >= lo && $1 < hi {n[$2]++} END {for (k in n) printf "%s=%d ", k, n[k]}' "$SOAK_DIR/results.tsv")
	echo "$(date +%T) seeds $seed..$((end - 1)): $counts" | tee -a "$SOAK_DIR/soak.log"
	awk -F'\t' '$2 == "MISMATCH" || $2 == "module-error"' "$SOAK_DIR/results.tsv" >"$SOAK_DIR/mismatches.txt"
	# Keep the failing programs' sources; drop the rest of the batch.
	for s in $(awk -F'\t' -v lo="$seed" -v hi="$end" '$1 >= lo && $1 < hi && ($2 == "MISMATCH" || $2 == "module-error") {print $1}' "$SOAK_DIR/results.tsv"); do
		mkdir -p "$SOAK_DIR/keep" && cp "$bdir/cs_$s.c" "$bdir/cs_$s.ko" "$SOAK_DIR/keep/" 2>/dev/null
	done
	rm -rf "$bdir"
	seed=$end
done
echo "$(date +%T) total: $(awk -F'\t' '{n[$2]++} END {for (k in n) printf "%s=%d ", k, n[k]}' "$SOAK_DIR/results.tsv")" | tee -a "$SOAK_DIR/soak.log"
