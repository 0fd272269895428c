#!/bin/sh
# Compiles the CPU benchmark (only cpu/ and mm/ sources) to a temp dir and runs it.
set -e
cd "$(dirname "$0")/.."
out=$(mktemp -d)
npx tsc --ignoreConfig --target ES2022 --module NodeNext --moduleResolution NodeNext --strict --skipLibCheck \
  --types node --outDir "$out" --rootDir . bench/cpu-loop.ts
echo '{"type":"module"}' > "$out/package.json"
node "$out/bench/cpu-loop.js"
rm -rf "$out"
