#!/usr/bin/env bash
# Seeds the fuzz corpora from the project's own inputs: every .rel file of
# examples/ and tests/ for `load` and `positions`, and every query line of
# tests/queries for `query` (one file a line). Run from anywhere; files
# already there are kept.
set -euo pipefail
cd "$(dirname "$0")"
mkdir -p corpus/load corpus/positions corpus/query
find ../examples ../tests -name '*.rel' -type f | sort | while read -r f; do
  name="seed-$(echo "${f#../}" | tr '/' '_')"
  cp "$f" "corpus/load/$name"
  cp "$f" "corpus/positions/$name"
done
for f in ../tests/queries/*.txt; do
  base="$(basename "$f" .txt)"
  n=0
  grep -v '^#' "$f" | grep -v '^[[:space:]]*$' | while IFS= read -r line; do
    n=$((n + 1))
    printf '%s\n' "$line" > "corpus/query/seed-${base}-$(printf '%03d' "$n")"
  done
done
