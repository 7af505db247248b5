# Sourced by cli_errors.sh (its check/untouched helpers, fixtures and run folder A): corrupt and odd input files.
# Every command here runs under a 60 s timeout, so an input that makes gan hang fails its case instead of the script.
REAL_GAN=$GAN
printf '#!/bin/sh\nexec timeout 60 "%s" "$@"\n' "$REAL_GAN" >gan_timeout.sh
chmod +x gan_timeout.sh
GAN=$PWD/gan_timeout.sh
ASSETS=$HERE/../assets
CLS=$ASSETS/digit-classifier.safetensors

# --- Fixtures: named pipes, edited copies of A's files and of the shipped generators, small data folders. ---
mkfifo fifo.st fifo.npy
mkdir -p fifo_data && mkfifo fifo_data/train-images-idx3-ubyte
python3 - "$ASSETS" "$DATA" <<'EOF' || report "setup: python3 fixtures of cli_input_cases.sh" "failed" ""
import gzip, json, os, random, struct, sys
assets, data = sys.argv[1], sys.argv[2]
rng = random.Random(11)
def save(path, data): open(path, "wb").write(data)
def split(path):  # a safetensors file as (header dict, data bytes)
    b = open(path, "rb").read(); n = struct.unpack("<Q", b[:8])[0]
    return json.loads(b[8:8 + n]), b[8 + n:]
def join(header, body, text=None):
    h = (text if text is not None else json.dumps(header)).encode()
    return struct.pack("<Q", len(h)) + h + body
def without(header, body, name):  # the file with tensor `name` and its bytes taken out, as a writer would leave it
    begin, end = header.pop(name)["data_offsets"]
    for key, t in header.items():
        if key != "__metadata__" and t["data_offsets"][0] >= end:
            t["data_offsets"] = [o - (end - begin) for o in t["data_offsets"]]
    return join(header, body[:begin] + body[end:])
def edited(src, dst, **meta):  # a copy of src with metadata entries set (None: removed)
    header, body = split(src)
    for k, v in meta.items():
        if v is None: header["__metadata__"].pop(k, None)
        else: header["__metadata__"][k] = v
    save(dst, join(header, body))
def npy(shape_text, payload):
    h = "{'descr': '<f4', 'fortran_order': False, 'shape': %s, }" % shape_text
    h += " " * (63 - (10 + len(h)) % 64) + "\n"
    return b"\x93NUMPY\x01\x00" + struct.pack("<H", len(h)) + h.encode() + payload
def idx_folder(folder, images, labels, split="train"):  # labels: a list of ints (bytes)
    os.makedirs(folder, exist_ok=True)
    save(f"{folder}/{split}-images-idx3-ubyte", struct.pack(">IIII", 0x803, images, 28, 28) + rng.randbytes(images * 784))
    save(f"{folder}/{split}-labels-idx1-ubyte", struct.pack(">II", 0x801, len(labels)) + bytes(labels))

G = "A/generator.safetensors"
cond = assets + "/generator-conditional-q8.safetensors"
# Generator metadata that disagrees with the tensors.
edited(G, "zdim50.st", z_dim="50")
edited(G, "zdim_nan.st", z_dim="nan")
edited(G, "zdim_huge.st", z_dim="99999999999999999999999")
edited(G, "widths_bad.st", widths="-1,garbage")
edited(G, "widths_empty.st", widths="")
edited(G, "seed_as_cond.st", architecture="conditional-mlp-gan", classes="10")
edited(cond, "cond_as_seed.st", architecture="seed-mlp-gan", classes=None)
edited(cond, "cond_classes20.st", classes="20")
header, body = split(G)
text = json.dumps(header).replace('"__metadata__": {', '"__metadata__": {"z_dim": "50", ', 1)
save("dup_key.st", join(None, body, text))
# A swapped first layer.
header, body = split(G)
header["main.0.weight"]["shape"] = [100, 256]
save("swapped.st", join(header, body))
# Headers that are not JSON.
save("hlen0.st", struct.pack("<Q", 0) + b"\0" * 64)
not_json = b"{'a': not json}"
save("not_json.st", struct.pack("<Q", len(not_json)) + not_json + b"\0" * 64)
# An 8-bit generator with one scale tensor left out.
header, body = split(assets + "/generator-q8.safetensors")
save("q8_noscale.st", without(header, body, "main.4.weight_scale"))
# Checkpoints with implausible hyperparameters, optimizer state and positions.
ck = "A/checkpoint.safetensors"
edited(ck, "ck_adam_nan.st", adam="nan,nan,nan,nan")
edited(ck, "ck_adam_huge.st", adam="1e30,1e30,1e30,1e30")
edited(ck, "ck_batch_in_epoch.st", batch_in_epoch="999999")
edited(ck, "ck_epoch.st", epoch="4000000000")
edited(ck, "ck_widths.st", widths="1,2")
header, body = split(ck)
begin = header["opt_G.0.exp_avg_sq"]["data_offsets"][0]
save("ck_neg_sq.st", join(header, body[:begin] + struct.pack("<f", -1.0) + body[begin + 4:]))
# Latent vectors with a negative and a fractional size.
save("z_neg.npy", npy("(-3, 100)", b"\0" * 1200))
save("z_float.npy", npy("(3.0, 100)", b"\0" * 1200))
# Data folders: labels that are not digits (training and held-out split), a single digit.
good = [i % 10 for i in range(120)]
idx_folder("lab255", 120, good[:3] + [255] + good[4:])
idx_folder("lab255", 20, good[:20], "t10k")
idx_folder("t10k_lab255", 120, good)
idx_folder("t10k_lab255", 20, good[:19] + [255], "t10k")
idx_folder("one", 1, [7])
idx_folder("one", 1, [7], "t10k")
# Gzip: the training images as two gzip members (valid), and with bytes after the gzip data (not).
raw = gzip.decompress(open(f"{data}/train-images-idx3-ubyte.gz", "rb").read())
for folder in ("gz_multi", "gz_trail"):
    os.makedirs(folder, exist_ok=True)
    save(f"{folder}/train-labels-idx1-ubyte.gz", open(f"{data}/train-labels-idx1-ubyte.gz", "rb").read())
half = len(raw) // 2
save("gz_multi/train-images-idx3-ubyte.gz", gzip.compress(raw[:half]) + gzip.compress(raw[half:]))
save("gz_trail/train-images-idx3-ubyte.gz", gzip.compress(raw) + b"trailing garbage")
EOF

# --- 1. Named pipes and devices are refused before they are opened (opening a pipe waits for a writer forever). ---
pipe='not a regular file \(it is a named pipe'
check "--weights is a named pipe"     1 "fifo\.st.*$pipe"                 generate -w fifo.st --png keep.png
check "--z is a named pipe"           1 "fifo\.npy.*$pipe"                generate -w "$G" --z fifo.npy --png keep.png
check "--resume is a named pipe"      1 "fifo\.st.*$pipe"                 train --data "$DATA" --resume fifo.st --out A -q
check "--classifier is a named pipe"  1 "fifo\.st.*$pipe"                 eval -w "$G" --data "$DATA" --classifier fifo.st
check "named pipe in --data"          1 "fifo_data/train-images.*$pipe"  train --data fifo_data --out A -q
check "/dev/zero as weights"          1 '/dev/zero.*not a regular file \(it is a character device\)' generate -w /dev/zero
check "folder as weights says folder" 1 'A is not a regular file \(it is a folder\); .*not a folder' generate -w A

# --- 2. Generator metadata that disagrees with the tensors. ---
meta_bad='inconsistent.*gan train'
check "z_dim 50 on a z=100 generator" 1 "zdim50\.st.*\"z_dim\" is \"50\".*latent size of 100.*$meta_bad" generate -w zdim50.st
check "z_dim nan"                     1 "zdim_nan\.st.*z_dim.*$meta_bad"   generate -w zdim_nan.st
check "z_dim huge"                    1 "zdim_huge\.st.*z_dim.*$meta_bad"  generate -w zdim_huge.st
check "widths garbage"                1 "widths_bad\.st.*\"widths\".*100,256,512,1024,784.*$meta_bad" generate -w widths_bad.st
check "widths empty"                  1 "widths_empty\.st.*\"widths\".*$meta_bad" generate -w widths_empty.st
check "seed G labelled conditional"   1 "seed_as_cond\.st.*latent size of 90.*$meta_bad" generate -w seed_as_cond.st
check "conditional G labelled seed"   1 "cond_as_seed\.st.*latent size of 110.*$meta_bad" generate -w cond_as_seed.st
check "classes 20 on a 10-class G"    1 "cond_classes20\.st.*latent size of 90.*$meta_bad" \
  generate -w cond_classes20.st --digit 15 --png keep.png
check "duplicate JSON key"            1 'dup_key\.st.*key "z_dim" twice'  generate -w dup_key.st
untouched "--png kept after a rejected generator" keep.png

# --- 3. 8-bit weights without their scale. ---
noscale='q8_noscale\.st.*"main\.4\.weight" holds 8-bit values.*"main\.4\.weight_scale" is missing'
check "q8 without a scale: generate"  1 "$noscale"                        generate -w q8_noscale.st --png keep.png
check "q8 without a scale: convert"   1 "$noscale"                        convert -w q8_noscale.st --to f32 -o keep.png
check "q8 without a scale: eval"      1 "$noscale"                        eval -w q8_noscale.st --data "$DATA" --classifier "$CLS"
untouched "--out kept after converting a damaged q8 file" keep.png

# --- 6. A header that is not JSON: where, and what to do, without the JSON parser's own text. ---
check "header length 0"               1 'hlen0\.st.*JSON header is empty.*; pass' generate -w hlen0.st
check "header not JSON"               1 'not_json\.st.*does not parse \(at byte [0-9]+ of 15\); pass' generate -w not_json.st
grep -q 'json\.exception' err.txt && report "no parser text in the JSON error" "it quotes nlohmann" "$(cat err.txt)" ||
  report "no parser text in the JSON error" ""

# --- 5. --z shapes with a negative or fractional size. ---
check "--z shape (-3, 100)"           1 'z_neg\.npy.*negative size'        generate -w "$G" --z z_neg.npy --png keep.png
check "--z shape (3.0, 100)"          1 'z_float\.npy.*not a whole number' generate -w "$G" --z z_float.npy --png keep.png

# --- 4. Checkpoints with implausible hyperparameters, optimizer state or position. ---
ck_bad='start a new run'
check "--resume adam nan"             1 "ck_adam_nan\.st.*\"adam\".*lr.*out of range.*$ck_bad" \
  train --data "$DATA" --resume ck_adam_nan.st --iterations 4 --out A -q
check "--resume adam 1e30"            1 "ck_adam_huge\.st.*\"adam\".*out of range.*$ck_bad" \
  train --data "$DATA" --resume ck_adam_huge.st --iterations 4 --out A -q
check "--resume batch_in_epoch 999999" 1 "ck_batch_in_epoch\.st.*batch_in_epoch.*out of range.*$ck_bad" \
  train --data "$DATA" --resume ck_batch_in_epoch.st --iterations 4 --out A -q
check "--resume epoch 4e9"            1 "ck_epoch\.st.*\"epoch\".*out of range.*$ck_bad" \
  train --data "$DATA" --resume ck_epoch.st --iterations 4 --out A -q
check "--resume widths 1,2"           1 "ck_widths\.st.*\"widths\" is \"1,2\".*$ck_bad" \
  train --data "$DATA" --resume ck_widths.st --iterations 4 --out A -q
check "--resume negative exp_avg_sq"  1 "ck_neg_sq\.st.*opt_G\.0\.exp_avg_sq.*negative.*$ck_bad" \
  train --data "$DATA" --resume ck_neg_sq.st --iterations 4 --out A -q

# --- 9. The classifier and eval: bad labels, too few digits and bad output paths, all before any training. ---
check "classifier: label 255"         1 'lab255/train-labels-idx1-ubyte has label 255 \(for image 3\), outside 0\.\.9; ' \
  classifier --data lab255 -q -o cls_bad.st
check "classifier: held-out label 255" 1 't10k_lab255/t10k-labels-idx1-ubyte has label 255 \(for image 19\)' \
  classifier --data t10k_lab255 -q -o cls_bad.st
check "classifier: one digit"         1 'one/train-images-idx3-ubyte holds 1 digit, fewer than one batch of 100; ' \
  classifier --data one -q -o cls_bad.st
[[ ! -e cls_bad.st ]] && report "failed classifier runs wrote no file" "" ||
  report "failed classifier runs wrote no file" "cls_bad.st exists" ""
check "classifier -o ''"              cli '(-o|--out).*path is empty'      classifier --data "$DATA" -q -o ""
check "classifier -o in a missing folder" 1 'nodir/c\.st.*not an existing folder' classifier --data "$DATA" -q -o nodir/c.st
check "eval: one test digit"          1 'one/t10k-images-idx3-ubyte holds 1 digit.*at least 2' \
  eval -w "$G" --data one --classifier "$CLS"

# --- 8. Gzip: several members are one file, as gunzip reads them; bytes after the gzip data are an error. ---
if "$GAN" train --data gz_multi --iterations 1 -q --out GZ >/dev/null 2>gz.err; then
  report "--data with a multi-member .gz" ""
else
  report "--data with a multi-member .gz" "rejected" "$(head -c 300 gz.err)"
fi
check "--data .gz with trailing garbage" 1 'gz_trail/train-images-idx3-ubyte\.gz: 16 bytes of trailing garbage' \
  train --data gz_trail --iterations 1 -q --out GZ2
[[ ! -e GZ2 ]] && report "a rejected .gz wrote no run folder" "" || report "a rejected .gz wrote no run folder" "GZ2 exists" ""

# --- 10. The conditional GAN and a label that is not a class: which, and what to do.
check "--arch conditional, label 255" 1 'lab255/train-labels-idx1-ubyte has label 255 \(for image 3\), outside 0\.\.9; check'        train --data lab255 --arch conditional -q --out C2
[[ ! -e C2 ]] && report "a rejected conditional run wrote no run folder" "" ||
  report "a rejected conditional run wrote no run folder" "C2 exists" ""

GAN=$REAL_GAN
