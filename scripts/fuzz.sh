#!/usr/bin/env bash
# The nightly-sized fuzzing run: the property tests and fuzzers with 20000 examples each.
set -euo pipefail
cd "$(dirname "$0")/.."
HYPOTHESIS_PROFILE=nightly python -m pytest tests/test_fuzz.py -q -p no:cacheprovider "$@"
