#!/usr/bin/env bash
# The GPU check: builds the CUDA backend and runs every GPU test and benchmark in one go, on the device machine.
#
#   Here:  bash tests/gpu/pack_deps.sh          (once: the C++ dev packages that machine may lack, into .gpu-deps/)
#   There: bash tests/gpu/check.sh             (from the repo root; carry .gpu-deps and data)
#
# Stages, each timed and logged (tee'd) into ${OUT:-/tmp/gpu-check}/:
#   env        machine, GPU (nvidia-smi), compilers, CMake, PyTorch                      -> env.log
#   deps       installs the carried components of .gpu-deps whose probe is missing; ldconfig -> env.log
#   configure  build/gpu: Release, Ninja, -DGAN_CUDA=ON -DGAN_NATIVE_ARCH=ON              -> build.log
#   build      targets gan and gan_cuda_tests with all cores (ninja -k 0: builds all it can) -> build.log
#   ctest      ctest -R '^cuda' (no test found, or one skipped, is a failure on a GPU)   -> ctest.log
#   cli        gan train/generate on cuda, generate on cpu (PNGs kept), cpu/gpu digits compared, resume on cpu
#                                                                                          -> cli.log, gpu.png, cpu.png
#   compare    bench/gpu_compare.sh: PyTorch eager vs gan at batch 60 and 512, 100,000 iterations, then a batch-60
#              round with TF32 products on both sides                                     -> compare.log
# then a summary of PASS/FAIL lines (also summary.txt). That is 8 files, the most a device call brings back.
# A failed configure or build skips the stages that need its binaries; the others carry on.
# Exit status: 0 all passed; 1 a stage failed; 2 every stage passed but a speed goal was missed.
#
# Options: --dry-run      env + what deps would install (nothing copied), then stop
#          --stop-after S stop after stage S (env, deps, configure, build, ctest, cli)
#          --skip-build   reuse the binaries already in the build folder (a rerun on a machine still warm)
# Environment: CHECK_DEADLINE_S (default 480): stages get timeouts that keep the whole run, summary included, inside
#   it (give the device call a timeout_s above it; with the machine's start-up, 480 s leaves room in a 15-minute
#   device budget for a --skip-build rerun while the machine is warm); GAN_CMAKE_ARGS: more configure arguments;
#   GPU_DEPS_ROOT (default /): where deps install (for testing the install elsewhere); PYTHON: the python3 that holds
#   PyTorch; GAN_BUILD_DIR (default build/gpu).
set -uo pipefail
cd "$(dirname "$0")/../.." || exit 1

dry_run=0
skip_build=0
stop_after=""
while [ $# -gt 0 ]; do
  case "$1" in
    --dry-run) dry_run=1; stop_after=deps ;;
    --skip-build) skip_build=1 ;;
    --stop-after) stop_after=${2:?--stop-after needs a stage}; shift ;;
    -h|--help) sed -n '2,/^set -uo/p' "$0" | sed '$d'; exit 0 ;;
    *) echo "check.sh: unknown argument $1" >&2; exit 64 ;;
  esac
  shift
done

export LOG_DIR=${OUT:-/tmp/gpu-check}
mkdir -p "$LOG_DIR"
(cd "$LOG_DIR" && rm -f env.log build.log ctest.log cli.log compare.log summary.txt gpu.png cpu.png)  # an earlier run's
export BUILD_DIR=${GAN_BUILD_DIR:-build/gpu}
export GAN="$BUILD_DIR/native/gan"
export CUDA_TESTS="$BUILD_DIR/tests/cuda/gan_cuda_tests"
export GPU_DEPS_ROOT=${GPU_DEPS_ROOT:-/}
export DRY_RUN=$dry_run
deadline=${CHECK_DEADLINE_S:-480}
export PYTHON=${PYTHON:-python3}
JOBS=$(nproc); export JOBS
start=$(date +%s.%N)

# Where the device image keeps CUDA: put nvcc on PATH when it is not there yet.
if ! command -v nvcc >/dev/null; then
  for d in /usr/local/cuda/bin /usr/local/cuda-*/bin; do [ -x "$d/nvcc" ] && { export PATH="$PATH:$d"; break; }; done
fi
# pkg-config must see the carried .pc files wherever its own default path points.
export PKG_CONFIG_PATH="/usr/lib/x86_64-linux-gnu/pkgconfig:/usr/share/pkgconfig${PKG_CONFIG_PATH:+:$PKG_CONFIG_PATH}"

names=(); results=(); times=(); notes=()
declare -A result_of

elapsed() { awk -v a="$1" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }'; }

# stage NAME LOG LIMIT_S FUNCTION: runs FUNCTION (exported) under a timeout, tee'd into LOG; records the result.
stage() {
  local name=$1 log=$LOG_DIR/$2 limit=$3 fn=$4
  local left t0 rc
  left=$(awk -v s="$start" -v d="$deadline" -v now="$(date +%s.%N)" 'BEGIN { printf "%d", d - (now - s) - 25 }')
  [ "$left" -lt "$limit" ] && limit=$left
  names+=("$name")
  if [ "$limit" -lt 10 ]; then
    results+=("FAIL"); times+=("0.0"); notes+=("not run: the ${deadline}s deadline is near"); result_of[$name]=FAIL
    echo "=== [$name] not run: too close to the deadline (CHECK_DEADLINE_S=$deadline)" | tee -a "$log"
    return
  fi
  echo "=== [$name] $(date -u +%T) (limit ${limit}s)" | tee -a "$log"
  t0=$(date +%s.%N)
  STAGE_NOTE_FILE=$(mktemp); export STAGE_NOTE_FILE
  timeout -k 10 "$limit" bash -c "$fn" 2>&1 | tee -a "$log"
  rc=${PIPESTATUS[0]}
  times+=("$(elapsed "$t0")")
  local msg; msg=$(awk 'NR > 1 { printf "; " } { printf "%s", $0 }' "$STAGE_NOTE_FILE"); rm -f "$STAGE_NOTE_FILE"
  if [ "$rc" -eq 0 ]; then results+=("PASS"); result_of[$name]=PASS
  else
    results+=("FAIL"); result_of[$name]=FAIL
    [ "$rc" -eq 124 ] || [ "$rc" -eq 137 ] && msg="timed out after ${limit}s${msg:+; $msg}"
    msg="exit $rc${msg:+; $msg}"
  fi
  notes+=("$msg")
  echo "=== [$name] ${results[-1]} in ${times[-1]} s" | tee -a "$log"
}

skip() {  # skip NAME WHY [asked]: a stage not run because what it needs failed (SKIP), or as asked (-)
  local r=SKIP; [ "${3:-}" = asked ] && r=-
  names+=("$1"); results+=("$r"); times+=("0.0"); notes+=("$2"); result_of[$1]=$r
  echo "=== [$1] skipped: $2"
}

note() { echo "$*" >>"$STAGE_NOTE_FILE"; }  # a few words for the summary line of the running stage
export -f note

# ---------------------------------------------------------------------------------------------------------- env
stage_env() {
  local bad=0 lacking=()
  echo "date: $(date -u +'%F %T UTC') | host $(hostname 2>/dev/null || cat /etc/hostname 2>/dev/null) | $(nproc) cores | $(uname -r)"
  (. /etc/os-release 2>/dev/null && echo "os: $PRETTY_NAME")
  if command -v nvidia-smi >/dev/null; then
    echo "gpu: $(nvidia-smi --query-gpu=name,driver_version,memory.total,clocks.max.sm --format=csv,noheader 2>&1)" || bad=1
    nvidia-smi --query-gpu=name --format=csv,noheader >/dev/null 2>&1 ||
      { echo "nvidia-smi failed"; bad=1; lacking+=("a GPU (nvidia-smi failed)"); }
  else
    echo "gpu: nvidia-smi not found"; bad=1; lacking+=(nvidia-smi)
  fi
  for tool in nvcc g++ gcc cmake ninja pkg-config; do
    if command -v "$tool" >/dev/null; then
      echo "$tool: $(command -v "$tool") | $("$tool" --version 2>&1 | grep -m1 -iE 'release|version|[0-9]+\.[0-9]+' )"
    else
      echo "$tool: not found"
      case "$tool" in nvcc|g++|cmake) bad=1; lacking+=("$tool") ;; esac
    fi
  done
  # Settings that change what the GPU runs (NVIDIA_TF32_OVERRIDE=0 would make the TF32 test fail with nothing wrong).
  echo "environment: $(env | grep -E '^(NVIDIA_TF32_OVERRIDE|CUDA_[A-Z_]+|CUBLAS_[A-Z_]+)=' | grep -v '^CUDA_TESTS=' | tr '\n' ' ')"
  echo "python: $(command -v "$PYTHON") | $("$PYTHON" -c 'import sys, torch; print(sys.version.split()[0], "torch", torch.__version__, "cuda", torch.version.cuda, "available", torch.cuda.is_available())' 2>&1 | tail -1)"
  [ "$bad" = 0 ] || note "missing: ${lacking[*]}"
  return $bad
}
export -f stage_env

# --------------------------------------------------------------------------------------------------------- deps
# A component of .gpu-deps (tests/gpu/pack_deps.sh) is installed only where its probe is missing, and then only its
# files that are not there yet: nothing of the machine's own is overwritten.
stage_deps() {
  local deps=.gpu-deps root=${GPU_DEPS_ROOT%/} installed=() kept=() failed=()
  if [ ! -d "$deps/components" ]; then
    echo "deps: no $deps/components here (run tests/gpu/pack_deps.sh, then carry .gpu-deps)"
    note "no .gpu-deps carried"; return 1
  fi
  sed -n 1p "$deps/MANIFEST.txt"
  has() {  # has PROBE: the machine (under $root) has it
    case "$1" in
      cmd:*) [ "$root" = "" ] && command -v "${1#cmd:}" >/dev/null || [ -e "$root/usr/bin/${1#cmd:}" ] ;;
      *) [ -e "$root/$1" ] ;;
    esac
  }
  for probe_file in "$deps"/components/*.probe; do
    local name probe list todo
    name=$(basename "$probe_file" .probe); probe=$(cat "$probe_file"); list=$deps/components/$name.list
    if has "$probe"; then
      kept+=("$name"); printf '  %-14s present (%s): kept\n' "$name" "$probe"; continue
    fi
    todo=$(mktemp)
    while IFS= read -r f; do [ -e "$root/$f" ] || [ -L "$root/$f" ] || echo "$f"; done <"$list" >"$todo"
    if [ "$DRY_RUN" = 1 ]; then
      printf '  %-14s missing (%s): would install %d of %d files (%s)\n' "$name" "$probe" "$(wc -l <"$todo")" \
        "$(wc -l <"$list")" "$(cat "$deps/components/$name.versions")"
      installed+=("$name"); rm -f "$todo"; continue
    fi
    if (cd "$deps" && xargs -r -d '\n' cp -a --parents -t "$root/" <"$todo") && has "$probe"; then
      installed+=("$name")
      printf '  %-14s missing (%s): installed %d of %d files (%s)\n' "$name" "$probe" "$(wc -l <"$todo")" \
        "$(wc -l <"$list")" "$(cat "$deps/components/$name.versions")"
    else
      failed+=("$name"); printf '  %-14s missing (%s): INSTALL FAILED\n' "$name" "$probe"
    fi
    rm -f "$todo"
  done
  if [ "$DRY_RUN" != 1 ] && [ "$root" = "" ] && [ ${#installed[@]} -gt 0 ]; then
    # Debian-style multiarch folder: make sure the loader searches it (it does on Debian and Ubuntu).
    ldconfig -p | grep -q 'lib/x86_64-linux-gnu/' ||
      echo /usr/lib/x86_64-linux-gnu >/etc/ld.so.conf.d/zz-gan-gpu-deps.conf
    ldconfig || { echo "ldconfig failed"; failed+=(ldconfig); }
    for lib in libgif.so.7 libstb.so.0 libz.so.1; do
      ldconfig -p | grep -q "$lib " && echo "  loader finds $lib" || { echo "  loader does NOT find $lib"; failed+=("$lib"); }
    done
  fi
  local verb=installed; [ "$DRY_RUN" = 1 ] && verb="to install"
  note "$verb: ${installed[*]:-none}; present: ${kept[*]:-none}${failed:+; FAILED: ${failed[*]}}"
  [ ${#failed[@]} -eq 0 ]
}
export -f stage_deps

# ---------------------------------------------------------------------------------------------------- configure
stage_configure() {
  local gen=Ninja
  command -v ninja >/dev/null || { gen="Unix Makefiles"; echo "ninja not found: using $gen"; note "no ninja: make"; }
  local nvcc_arg=()
  command -v nvcc >/dev/null && nvcc_arg=(-DCMAKE_CUDA_COMPILER="$(command -v nvcc)")
  # CMAKE_POLICY_VERSION_MINIMUM: CMake 4 (pip's) refuses package files asking for policies older than 3.5 (the
  # carried ones ask for 2.8.3...3.22, which it accepts: insurance). CMAKE_LIBRARY_PATH: where the carried libraries
  # lie, for a compiler that does not search Debian's multiarch folder.
  # shellcheck disable=SC2086
  cmake -S . -B "$BUILD_DIR" -G "$gen" -DCMAKE_BUILD_TYPE=Release -DGAN_CUDA=ON -DGAN_NATIVE_ARCH=ON \
    -DGAN_BUILD_TESTS=ON -DCMAKE_POLICY_VERSION_MINIMUM=3.5 -DCMAKE_LIBRARY_PATH=/usr/lib/x86_64-linux-gnu \
    "${nvcc_arg[@]}" ${GAN_CMAKE_ARGS:-}
}
export -f stage_configure

# -------------------------------------------------------------------------------------------------------- build
stage_build() {
  local keep_going=(-k 0)
  [ -f "$BUILD_DIR/build.ninja" ] || keep_going=(-k)
  cmake --build "$BUILD_DIR" --target gan gan_cuda_tests -j "$JOBS" -- "${keep_going[@]}"
  local rc=$?
  for b in "$GAN" "$CUDA_TESTS"; do [ -x "$b" ] && echo "built $b" || { echo "NOT built: $b"; rc=1; }; done
  [ -x "$GAN" ] && [ ! -x "$CUDA_TESTS" ] && note "gan built, gan_cuda_tests not"
  [ ! -x "$GAN" ] && [ -x "$CUDA_TESTS" ] && note "gan_cuda_tests built, gan not"
  return $rc
}
export -f stage_build

# -------------------------------------------------------------------------------------------------------- ctest
stage_ctest() {
  local out; out=$(mktemp)
  ctest --test-dir "$BUILD_DIR" -R '^cuda' --output-on-failure --timeout 240 2>&1 | tee "$out"
  local rc=${PIPESTATUS[0]}
  local line; line=$(grep -E 'tests passed|No tests were found' "$out" | tail -1)
  note "${line:-no ctest summary}"
  if grep -q 'No tests were found' "$out"; then echo "FAIL: no test matches ^cuda"; rc=1; fi
  if grep -q '(Skipped)' "$out"; then  # ctest keeps a skipped test's output to itself: ask the binary why
    echo "FAIL: tests were skipped (exit 77) on a GPU machine; the test binary says:"
    "$CUDA_TESTS" 2>&1 | head -3
    note "skipped: $("$CUDA_TESTS" 2>&1 | head -1)"
    rc=1
  fi
  rm -f "$out"
  return $rc
}
export -f stage_ctest

# ---------------------------------------------------------------------------------------------------------- cli
stage_cli() {
  local out=/tmp/gpu-cli.out
  PYTHON="$PYTHON" bash tests/gpu/cli_round_trip.sh "$GAN" data/mnist /tmp/gpu-run "$LOG_DIR" 300 400 2>&1 | tee "$out"
  local rc=${PIPESTATUS[0]}
  note "$(tail -n 1 "$out")"
  rm -f "$out"
  return "$rc"
}
export -f stage_cli elapsed

# ------------------------------------------------------------------------------------------------------ compare
stage_compare() {
  # The 100,000-iteration run is skipped when the short runs predict it would not fit in what is left.
  COMPARE_BUDGET_S=$1 PYTHON="$PYTHON" bash bench/gpu_compare.sh "$BUILD_DIR"
}
export -f stage_compare

# ------------------------------------------------------------------------------------------------------ running
stopped=0
after() { [ "$stop_after" = "$1" ] && stopped=1; }   # after STAGE: honour --stop-after
built_ok() { [ "${result_of[configure]:-}" = PASS ] && [ -x "$1" ]; }

stage env env.log 60 stage_env; after env
[ "$stopped" = 1 ] || { stage deps env.log 120 stage_deps; after deps; }
if [ "$stopped" = 0 ] && [ "$skip_build" = 1 ]; then
  skip configure "--skip-build: reusing $BUILD_DIR" asked; skip build "--skip-build" asked
  result_of[configure]=PASS
else
  [ "$stopped" = 1 ] || { stage configure build.log 180 stage_configure; after configure; }
  if [ "$stopped" = 0 ]; then
    if [ "${result_of[configure]}" = PASS ]; then stage build build.log 420 stage_build; else skip build "configure failed"; fi
    after build
  fi
fi
if [ "$stopped" = 0 ]; then
  if built_ok "$CUDA_TESTS"; then stage ctest ctest.log 300 stage_ctest; else skip ctest "gan_cuda_tests not built"; fi
  after ctest
fi
if [ "$stopped" = 0 ]; then
  if built_ok "$GAN"; then stage cli cli.log 180 stage_cli; else skip cli "gan not built"; fi
  after cli
fi
if [ "$stopped" = 0 ]; then
  # gpu_compare.sh times PyTorch even without our binary, so it runs whatever the build did.
  left=$(awk -v s="$start" -v d="$deadline" -v now="$(date +%s.%N)" 'BEGIN { printf "%d", d - (now - s) - 25 }')
  [ "$left" -gt 300 ] && left=300
  stage compare compare.log 300 "stage_compare $((left - 5))"
fi

# ------------------------------------------------------------------------------------------------------ summary
{
  echo
  echo "==================== GPU check summary ===================="
  echo "$(date -u +'%F %T UTC') | $(nvidia-smi --query-gpu=name,driver_version --format=csv,noheader 2>/dev/null | head -1 || echo 'no nvidia-smi') | logs in $LOG_DIR"
  [ "$dry_run" = 1 ] && echo "(dry run: nothing installed, nothing built)"
  stage_failed=0
  for i in "${!names[@]}"; do
    printf '%-10s %-4s %7s s  %s\n' "${names[$i]}" "${results[$i]}" "${times[$i]}" "${notes[$i]}"
    [ "${results[$i]}" = PASS ] || [ "${results[$i]}" = - ] || stage_failed=1
  done
  goals_failed=0
  if [ -f "$LOG_DIR/compare.log" ]; then
    while IFS= read -r g; do
      echo "goal: $g"; [[ "$g" = *PASS ]] || goals_failed=1
    done < <(grep -E '\(goal [<>]=? ?[0-9]' "$LOG_DIR/compare.log" | grep -E 'PASS|FAIL' | sed 's/^ *//')
    grep -E '^tf32: ' "$LOG_DIR/compare.log"  # the TF32 reading, no goal
  fi
  total=$(elapsed "$start")
  if [ "$stage_failed" = 1 ]; then status=1; verdict="FAIL (a stage failed)"
  elif [ "$goals_failed" = 1 ]; then status=2; verdict="stages PASS, a speed goal FAILED"
  else status=0; verdict=PASS; fi
  echo "total ${total} s | RESULT: $verdict"
  echo "$status" >"$LOG_DIR/.status"
} | tee "$LOG_DIR/summary.txt"
status=$(cat "$LOG_DIR/.status"); rm -f "$LOG_DIR/.status"
exit "$status"
