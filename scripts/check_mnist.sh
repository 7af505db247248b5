#!/usr/bin/env bash
# Checks that a folder holds LeCun's four original MNIST files (plain or .gz): size, IDX magic number and SHA-256 of
# each file's contents. Prints one line per bad file and exits 1 when any is missing, truncated or altered.
# Usage: bash scripts/check_mnist.sh DIR
set -uo pipefail
dir=${1:?usage: bash scripts/check_mnist.sh DIR}

# name, magic (hex, first 4 bytes), size in bytes uncompressed, sha256 of the uncompressed file
expected=(
  "train-images-idx3-ubyte 00000803 47040016 ba891046e6505d7aadcbbe25680a0738ad16aec93bde7f9b65e87a2fc25776db"
  "train-labels-idx1-ubyte 00000801 60008 65a50cbbf4e906d70832878ad85ccda5333a97f0f4c3dd2ef09a8a9eef7101c5"
  "t10k-images-idx3-ubyte 00000803 7840016 0fa7898d509279e482958e8ce81c8e77db3f2f8254e26661ceb7762c4d494ce7"
  "t10k-labels-idx1-ubyte 00000801 10008 ff7bcfd416de33731a308c3f266cc351222c34898ecbeaf847f06e48f7ec33f2"
)

tmp=$(mktemp)
trap 'rm -f "$tmp"' EXIT

bad=0
for entry in "${expected[@]}"; do
  read -r name magic size sum <<< "$entry"
  if [ -f "$dir/$name.gz" ]; then path="$dir/$name.gz"; elif [ -f "$dir/$name" ]; then path="$dir/$name"; else
    echo "check-mnist: $dir/$name.gz is missing; run scripts/setup.sh to fetch the digits again"; bad=1; continue
  fi
  # Decode once; a damaged .gz fails here.
  case $path in *.gz) err=$(gzip -dc -- "$path" 2>&1 >"$tmp") ;; *) err=$(cp -- "$path" "$tmp" 2>&1) ;; esac
  if [ $? -ne 0 ] || [ -n "$err" ]; then
    echo "check-mnist: $path is not a whole gzip file ($err); delete it and run scripts/setup.sh again"; bad=1
    continue
  fi
  got_size=$(wc -c < "$tmp")
  got_magic=$(head -c 4 "$tmp" | od -An -tx1 | tr -d ' \n')
  got_sum=$(sha256sum < "$tmp" | cut -d' ' -f1)
  if [ "$got_magic" != "$magic" ]; then
    echo "check-mnist: $path starts with 0x$got_magic, not the IDX magic number 0x$magic; it is not $name"; bad=1
  elif [ "$got_size" != "$size" ]; then
    echo "check-mnist: $path holds $got_size bytes, not $size; it is truncated or not the original MNIST file"; bad=1
  elif [ "$got_sum" != "$sum" ]; then
    echo "check-mnist: $path has SHA-256 $got_sum, not the original's $sum; it was altered"; bad=1
  fi
done
[ $bad -eq 0 ] || { echo "check-mnist: $dir does not hold the original MNIST; nothing will train on it"; exit 1; }
echo "check-mnist: $dir holds the original MNIST (60,000 training and 10,000 test digits, checksums match)"
