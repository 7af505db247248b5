#!/usr/bin/env bash
# Feeds `gan` bad inputs; each must give one clear error line, a clean non-zero exit code and leave saved files alone.
# Usage: cli_errors.sh PATH/TO/gan DATA_DIR
set -u
[[ $# -eq 2 ]] || { echo "usage: $0 GAN_BINARY DATA_DIR" >&2; exit 2; }
HERE=$(dirname "$(realpath "$0")")
GAN=$(realpath "$1")
S=$(mktemp -d)
trap 'rm -rf "$S"' EXIT
# 9,000 of the digits: every case reads the data, and these check behaviour, not learning.
python3 "$HERE/subset_mnist.py" "$2" "$S/digits" 9000 1000 || exit 2
DATA=$S/digits
cd "$S" || exit 2
passed=0
failed=0

report() {  # NAME REASON ("" = pass) DETAIL
  if [[ -z $2 ]]; then
    passed=$((passed + 1)); echo "PASS $1${3:+ | $3}"
  else
    failed=$((failed + 1)); echo "FAIL $1: $2${3:+ | stderr: $3}"
  fi
}

# check NAME EXPECT REGEX ARGS...: runs gan ARGS. EXPECT is 1 (bad input: exactly one "gan: error:" line, matching
# REGEX and giving advice after a "; ") or cli (a CLI11 parse error: exit 100-127, stderr matching REGEX).
check() {
  local name=$1 expect=$2 regex=$3 why="" line
  shift 3
  "$GAN" "$@" >out.txt 2>err.txt
  local rc=$?
  line=$(grep '^gan: error: ' err.txt)
  if ((rc >= 128)); then why="killed by signal $((rc - 128))"
  elif grep -qiE 'terminate called|abort|sanitizer|core dumped|segmentation' err.txt; then why="crash output"
  elif [[ $expect == 1 && $rc -ne 1 ]]; then why="exit code $rc, expected 1"
  elif [[ $expect == cli ]] && ((rc < 100 || rc > 127)); then why="exit code $rc, expected CLI11's 100-127"
  elif [[ $expect == 1 && $(grep -c '^gan: error: ' err.txt) -ne 1 ]]; then why="no single 'gan: error:' line"
  elif [[ $expect == 1 && $line != *"; "* ]]; then why="the error says what is wrong but not what to do"
  elif [[ $expect == 1 ]] && ! grep -qE -- "$regex" <<<"$line"; then why="error does not match /$regex/"
  elif [[ $expect == cli ]] && ! grep -qE -- "$regex" err.txt; then why="stderr does not match /$regex/"
  fi
  report "$name" "$why" "$(head -c 400 err.txt | tr '\n' ' ' | sed 's/ *$//')"
}

# untouched NAME FILE...: the files still have the checksums recorded in sums.txt.
untouched() {
  local name=$1
  shift
  local f
  if for f; do awk -v f="$f" '$2 == f' sums.txt; done | sha256sum -c --strict >/dev/null 2>&1; then report "$name" ""
  else report "$name" "an existing file was changed or removed by a failed run" ""; fi
}

# --- Fixtures: a real 3-step run, then corrupt copies of its files and bad data folders. ---
if ! "$GAN" train --data "$DATA" --iterations 3 --epochs 1 -q --out A 2>train.err; then
  echo "FAIL setup: gan train did not produce a run to corrupt: $(tail -n 3 train.err)"
  echo "0 passed, 1 failed"
  exit 1
fi
head -c 100000 A/generator.safetensors >trunc.safetensors
: >empty.safetensors
echo "these are not latent vectors" >z_text.npy
mkdir -p bad_gz && cp "$DATA"/train-labels-idx1-ubyte* bad_gz/
head -c 20000 "$DATA"/train-images-idx3-ubyte.gz >bad_gz/train-images-idx3-ubyte.gz
python3 - <<'EOF' || { echo "FAIL setup: python3 fixtures"; echo "0 passed, 1 failed"; exit 1; }
import json, os, random, struct
def safetensors(header, body=b""):
    h = json.dumps(header).encode()
    return struct.pack("<Q", len(h)) + h + body
def split(path):  # a real safetensors file as (header dict, data bytes)
    b = open(path, "rb").read(); n = struct.unpack("<Q", b[:8])[0]
    return json.loads(b[8:8 + n]), b[8 + n:]
def save(path, data): open(path, "wb").write(data)
def npy(descr, shape, payload):
    h = "{'descr': '%s', 'fortran_order': False, 'shape': %s, }" % (descr, repr(shape))
    h += " " * (63 - (10 + len(h)) % 64) + "\n"
    return b"\x93NUMPY\x01\x00" + struct.pack("<H", len(h)) + h.encode() + payload
def idx(folder, images, side, labels):  # an uncompressed MNIST-style folder of random images
    os.makedirs(folder, exist_ok=True)
    pixels = rng.randbytes(images * side * side)
    save(folder + "/train-images-idx3-ubyte", struct.pack(">IIII", 0x803, images, side, side) + pixels)
    save(folder + "/train-labels-idx1-ubyte", struct.pack(">II", 0x801, labels) + bytes(i % 10 for i in range(labels)))
rng = random.Random(7)
save("random.safetensors", rng.randbytes(4096))
save("huge_header.safetensors", struct.pack("<Q", 1 << 40) + b"{}")
save("offsets.safetensors", safetensors({"main.0.weight": {"dtype": "F32", "shape": [256, 100], "data_offsets": [0, 102400]}}, b"\0" * 64))
nested = b"[" * 100000 + b"]" * 100000
save("nested.safetensors", struct.pack("<Q", len(nested)) + nested)
header, body = split("A/generator.safetensors")
for t in header.values():
    if "dtype" in t: t["dtype"] = "I32"
save("dtype.safetensors", safetensors(header, body))
header, body = split("A/generator.safetensors")  # the first 4 data bytes are a value of the tensor at offset 0
save("nan.safetensors", safetensors(header, struct.pack("<f", float("nan")) + body[4:]))
save("z_width.npy", npy("<f4", (3, 50), b"\0" * 600))
save("z_nan.npy", npy("<f4", (3, 100), struct.pack("<f", float("nan")) + b"\0" * 1196))
save("z_int.npy", npy("<i4", (3, 100), b"\0" * 1200))
save("z_empty.npy", npy("<f4", (0, 100), b""))
idx("idx32", 10, 32, 10)
idx("mismatch", 10, 28, 12)
idx("small", 120, 28, 120)
EOF
"$GAN" train --data small --iterations 3 -q --out SM 2>/dev/null || report "setup: train on a 120-image set" "failed" ""
echo keep-png >keep.png
echo keep-npy >keep.npy
touch plain_file
sha256sum A/*.* keep.png keep.npy >sums.txt
G=A/generator.safetensors

# --- The cases: name, expected exit class, regex for the error, command line. ---
check "missing --weights"         1   'missing\.safetensors.*(No such file|not found)' generate -w missing.safetensors
check "--weights is a folder"     1   'A.*not a regular file'               generate -w A
check "empty weights"             1   'empty\.safetensors.*0 bytes'         generate -w empty.safetensors
check "truncated weights"         1   'trunc\.safetensors.*truncated'       generate -w trunc.safetensors
check "random-byte weights"       1   'random\.safetensors.*header'         generate -w random.safetensors
check "PNG as weights"            1   'samples\.png.*safetensors'           generate -w A/samples.png
check "2^40 header length"        1   'huge_header.*1099511627776'          generate -w huge_header.safetensors
check "offsets outside the file"  1   'offsets\.safetensors.*outside'       generate -w offsets.safetensors
check "deeply nested JSON"        1   'nested\.safetensors.*(header|JSON)'  generate -w nested.safetensors
check "wrong dtype"               1   'dtype\.safetensors.*I32'             generate -w dtype.safetensors
check "discriminator as G"        1   'discriminator.*not a generator'      generate -w A/discriminator.safetensors
check "checkpoint as G"           1   'checkpoint.*not a generator'         generate -w A/checkpoint.safetensors
check "NaN generator weights"     1   'nan\.safetensors.*NaN'               generate -w nan.safetensors
check "--z wrong width"           1   'z_width\.npy.*50.*100'               generate -w "$G" --z z_width.npy
check "--z with NaN"              1   'z_nan\.npy.*NaN'                     generate -w "$G" --z z_nan.npy
check "--z not an npy"            1   'z_text\.npy.*not a \.npy'            generate -w "$G" --z z_text.npy
check "--z int32"                 1   'z_int\.npy.*<i4.*float32'            generate -w "$G" --z z_int.npy
check "--z with 0 vectors"        1   'z_empty\.npy.*0 latent'              generate -w "$G" --z z_empty.npy
check "--z missing file"          1   'nothere\.npy'                        generate -w "$G" --z nothere.npy
CG="$(dirname "$(realpath "$0")")/../assets/generator-conditional-q8.safetensors"
printf '{"z": [1, 2' >z_cut.json; printf '{"digit": 3}' >z_noz.json; printf '{"z": [1, "a"]}' >z_str.json
printf '[[1, 2], [3]]' >z_ragged.json
python3 -c 'import json; json.dump({"z": [0.0] * 100, "class": 12}, open("z_class.json", "w"))'
python3 -c 'import json; json.dump({"z": [0.0] * 100, "class": 4294967299}, open("z_class_huge.json", "w"))'
check "--z JSON cut short"        1   'z_cut\.json is not valid JSON'       generate -w "$G" --z z_cut.json
check "--z JSON without z"        1   'z_noz\.json has no "z"'              generate -w "$G" --z z_noz.json
check "--z JSON with a string"    1   'z_str\.json.*not a number'           generate -w "$G" --z z_str.json
check "--z JSON ragged"           1   'z_ragged\.json.*same size'           generate -w "$G" --z z_ragged.json
check "--z JSON class 12"         1   'z_class\.json asks for class 12'     generate -w "$CG" --z z_class.json
check "--z JSON class 2^32+3"     1   'z_class_huge\.json.*whole number'    generate -w "$CG" --z z_class_huge.json
check "--data does not exist"     1   'no train-images.*nodata'             train --data nodata --out A -q
check "--data truncated .gz"      1   'bad_gz.*(truncated|corrupt)'         train --data bad_gz --out A -q
check "--data 32x32 IDX"          1   'idx32.*32x32.*28x28'                 train --data idx32 --out A -q
check "images/labels mismatch"    1   '12 labels.*10 images'                train --data mismatch --out A -q
check "--resume a generator"      1   'generator.*not a checkpoint'         train --data "$DATA" --resume "$G" --out A -q
check "--resume other dataset"    1   '120 images.*9000.*same --data'       train --data "$DATA" --resume SM/checkpoint.safetensors --out A -q
check "--resume missing file"     1   'nockpt\.safetensors'                 train --data "$DATA" --resume nockpt.safetensors --out A -q
check "unknown flag"              cli 'not expected.*--bogus'               train --bogus
check "--batch 0"                 cli '--batch: Value 0 is not a whole number from 1 to 65536' train --batch 0
check "--lr -1"                   cli '--lr.*-1'                            train --lr -1
check "--lr 0"                    cli '--lr.*0.*greater than 0'             train --lr 0
check "--threads given twice"     cli '--threads.*(At Most 1|received 2)'   train --threads 1 --threads 2
check "--epochs abc"              cli '--epochs: Value abc is not a whole number' train --epochs abc
check "generate without -w"       cli 'weights.*required'                   generate
check "generate -n 0"             cli '(-n|--count).*0'                     generate -w "$G" -n 0
check "--out inside a file"       1   'plain_file/run'                      train --data "$DATA" --iterations 1 -q --out plain_file/run
check "--png into missing dir"    1   'nodir/x\.png.*folder'                generate -w "$G" --png nodir/x.png --npy keep.npy
untouched "--npy kept after a failed --png" keep.npy
check "--npy into missing dir"    1   'nodir/x\.npy.*folder'                generate -w "$G" --png keep.png --npy nodir/x.npy
untouched "--png kept after a failed --npy" keep.png
check "--npy is a folder"         1   'cannot write A: .*folder'            generate -w "$G" --png keep.png --npy A
untouched "--png kept after --npy into a folder" keep.png
check "new run into a run folder" 1   'A already holds a training run.*--resume.*--force' train --data "$DATA" --iterations 1 -q --out A
check "PNG grid too large"        1   'too large.*--count or --scale'       generate -w "$G" -n 6000 --scale 16 --png keep.png
check "convert --to q4"           cli '--to.*q4'                            convert -w "$G" --to q4 -o keep.png
check "convert a checkpoint"      1   'checkpoint, not a generator'         convert -w A/checkpoint.safetensors --to q8 -o keep.png
untouched "--out kept after a failed convert" keep.png
untouched "--png kept after a too-large grid" keep.png
# The quality metric and the conditional GAN.
mkdir -p images_only && cp "$DATA"/train-images-idx3-ubyte* images_only/
check "eval without a classifier"  1   'no digit classifier at nothere\.st.*gan classifier' eval -w "$G" --data "$DATA" --classifier nothere.st
check "eval with a generator as classifier" 1 'not a digit classifier'      eval -w "$G" --data "$DATA" --classifier "$G"
check "eval -n 5"                 cli '(-n|--count).*5'                     eval -w "$G" -n 5
check "--digit on a seed generator" 1 'not class-conditional.*--arch conditional' generate -w "$G" --digit 3 --png keep.png
check "--arch bogus"              cli '--arch.*bogus'                       train --data "$DATA" --arch bogus -q --out C
check "--real-label 0.2"          cli '--real-label.*0\.2'                  train --data "$DATA" --real-label 0.2 -q --out C
check "--ema 1"                   cli '--ema.*1'                            train --data "$DATA" --ema 1 -q --out C
check "conditional without labels" 1 'no train-labels.*--arch conditional needs the labels' \
  train --data images_only --arch conditional --iterations 1 -q --out C
check "--eval-every without a classifier" 1 'no digit classifier at nothere\.st' \
  train --data "$DATA" --iterations 2 --eval-every 1 --classifier nothere.st -q --out C
check "--device tpu"               cli '--device.*tpu'                       train --data "$DATA" --device tpu -q --out C
check "--tf32 on the CPU"          1 '--tf32 needs --device cuda'            train --data "$DATA" --tf32 --iterations 2 -q --out C
check "bench --tf32 on the CPU"    1 '--tf32 needs --device cuda'            bench --data "$DATA" --tf32 --iterations 2
# Where no GPU is usable (CI), --device cuda must say so and write nothing; a GPU machine checks it in tests/gpu/.
if ! nvidia-smi -L >/dev/null 2>&1; then
  no_gpu='--device cuda: (no usable NVIDIA GPU|this gan was built without the CUDA backend).*--device cpu'
  check "train --device cuda, no GPU"    1 "$no_gpu" train --data "$DATA" --device cuda --iterations 2 -q --out C
  check "generate --device cuda, no GPU" 1 "$no_gpu" generate -w "$G" --device cuda --png keep.png
  untouched "--png kept after --device cuda failed" keep.png
  check "bench --device cuda, no GPU"    1 "$no_gpu" bench --data "$DATA" --device cuda --iterations 2
fi
[[ ! -e C ]] && report "failed runs wrote no run folder" "" || report "failed runs wrote no run folder" "C exists" ""
check "classifier without labels" 1 'no train-labels.*labelled digits'     classifier --data images_only -q -o cls2.st
[[ ! -e nodir ]] && report "no stray folder created" "" || report "no stray folder created" "nodir exists" ""
# Output paths that would lose files: empty, an input, a device, and a folder holding an earlier run's files.
cp "$G" wcopy.st && mkdir -p U && echo precious >U/generator.safetensors && ln -sf /dev/null devlink.png
sha256sum wcopy.st U/generator.safetensors >>sums.txt
check "gan frobnicate"            cli "unknown command 'frobnicate'.*train, generate" frobnicate
check "--out ''"                  cli '--out.*path is empty'                train --data "$DATA" --iterations 1 -q --out ''
check "--png ''"                  cli '--png.*path is empty'                generate -w "$G" --png ''
check "--png the weights"         1   'wcopy\.st is the same file as -w'    generate -w wcopy.st --png wcopy.st
untouched "the weights kept after --png at them" wcopy.st
check "--png and --npy one file"  1   'same file as --npy'                  generate -w "$G" --png twice.png --npy ./twice.png
check "--epoch (for --epochs)"    cli 'unknown option --epoch; did you mean --epochs\?' train --data "$DATA" --epoch 1 --out E -q
cp "$(dirname "$(realpath "$0")")/../docs/images/loss-100-epochs.png" image.png
check "a PNG as weights"          1   'image\.png: this is a PNG image, not a safetensors file' generate -w image.png --png out.png
check "--png out.jpg"             1   'out\.jpg.*PNG images only.*\.png'   generate -w "$G" --png out.jpg
check "convert -o its input"      1   'same file as -w wcopy\.st.*destroy the input' convert -w wcopy.st -o ./wcopy.st --to q8
untouched "the weights kept after convert -o at them" wcopy.st
check "classifier -o a data file" 1   'same file as --data'                 classifier --data "$DATA" -o "$DATA/train-labels-idx1-ubyte.gz" -q
check "--png a link to a device"  1   'devlink\.png.*not a regular file'    generate -w "$G" --png devlink.png
[[ -L devlink.png && -c /dev/null ]] && report "the link and the device kept" "" ||
  report "the link and the device kept" "devlink.png or /dev/null was replaced" ""
check "new run over a run's files" 1  'U already holds generator\.safetensors.*--force' train --data "$DATA" --iterations 1 -q --out U
untouched "a new run left generator.safetensors alone" U/generator.safetensors
GAN_GEMM=bogus check "GAN_GEMM=bogus" 1 "GAN_GEMM='bogus' is not a matrix-product engine; set it to onednn or eigen" \
  bench --data "$DATA" --iterations 2
check "bench --batch past the data" 1 'fewer than one batch of 65536; lower --batch' bench --data "$DATA" --batch 65536
check "--seed -1"                 cli '--seed.*-1.*whole number'            generate -w "$G" --seed -1
check "--seed past 2^64"          cli '--seed.*whole number'                generate -w "$G" --seed 99999999999999999999
check "-n 1e3"                    cli '--count: Value 1e3 is not a whole number from 1 to 100000' generate -w "$G" -n 1e3
check "bench --batch 0"           cli '--batch: Value 0 is not a whole number from 1 to 65536' bench --data "$DATA" --batch 0
check "--beta1 nan"               cli '--beta1.*nan'                        train --data "$DATA" --beta1 nan
check "--ema nan"                 cli '--ema.*nan'                          train --data "$DATA" --ema nan
check "--real-label nan"          cli '--real-label.*nan'                   train --data "$DATA" --real-label nan
check "--resume with another --batch" 1 '--batch 30 differs.*60.*leave out --batch' \
  train --data "$DATA" --resume A/checkpoint.safetensors --batch 30 --out A -q
check "--resume with another --arch" 1 '--arch conditional differs.*seed' \
  train --data "$DATA" --resume A/checkpoint.safetensors --arch conditional --out A -q
check "diverged before a checkpoint" 1 'diverged at step 1 .*before its first checkpoint.*lower --lr' \
  train --data "$DATA" --iterations 2 --inject-nan-at 1 -q --out NN
# The same settings again with --resume (a repeated command) are fine: A is already at step 3, so nothing runs.
"$GAN" train --data "$DATA" --resume A/checkpoint.safetensors --batch 60 --seed 0 --iterations 3 --out A -q 2>err.txt &&
  report "--resume with the checkpoint's own settings" "" ||
  report "--resume with the checkpoint's own settings" "refused" "$(head -c 300 err.txt)"

# Corrupt and odd input files (weights, checkpoints, latent vectors, data), kept apart for length.
source "$HERE/cli_input_cases.sh"

untouched "run folder A unchanged by all failed runs" A/checkpoint.safetensors A/generator.safetensors A/log.jsonl \
  A/samples.png A/loss.png A/discriminator.safetensors

echo "$passed passed, $failed failed"
((failed == 0))
