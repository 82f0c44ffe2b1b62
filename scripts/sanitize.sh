#!/usr/bin/env bash
# Runs the whole pytest suite against libTH built with AddressSanitizer + UndefinedBehaviorSanitizer
# + LeakSanitizer. Python itself is not instrumented: the sanitizer runtimes are preloaded, and
# leaks allocated by CPython's and numpy's own allocators are suppressed (scripts/lsan.supp),
# never by a call path that a libTH allocation also has.
#   bash scripts/sanitize.sh [pytest args...]
set -euo pipefail
cd "$(dirname "$0")/.."
build=${TH_SANITIZE_BUILD:-build/sanitize}
cmake -S . -B "$build" -DTH_SANITIZE=ON -DTH_CUDA=OFF -DCMAKE_BUILD_TYPE=Debug > /dev/null
cmake --build "$build" -j2 > /dev/null
# LeakSanitizer suppressions: allocation sites outside libTH only (see the file; a leak made
# through ffi must still be reported, which tests/test_sanitize_leak.py checks)
supp="$(pwd)/scripts/lsan.supp"
export LD_PRELOAD="$(gcc -print-file-name=libasan.so):$(gcc -print-file-name=libubsan.so)"
export ASAN_OPTIONS=detect_leaks=1:allocator_may_return_null=1
export LSAN_OPTIONS="suppressions=$supp:print_suppressions=0"
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
export TORCHBIND_TH_LIBRARY="$(cd "$build" && pwd)/libTH.so" TORCHBIND_SANITIZE_RUN=1
export TORCHBIND_LSAN_SUPPRESSIONS="$supp"
# test_cmake and test_cuda build with CMake (compilers under LD_PRELOAD), valgrind cannot run
# under ASan, the soak measures memory that ASan's quarantine holds on purpose, and linting
# (ruff, a Rust binary) has nothing to do with libTH
python -m pytest tests -q -p no:cacheprovider --deselect tests/test_cmake.py \
  --deselect tests/test_cuda.py --deselect tests/test_lint.py -k "not valgrind and not soak" "$@" 2>&1 |
  tee "$build/pytest.log"
if grep -qE "ERROR: (AddressSanitizer|LeakSanitizer)|runtime error:" "$build/pytest.log"; then
  echo "sanitizers reported errors (see $build/pytest.log)" >&2
  exit 1
fi
