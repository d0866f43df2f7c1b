#!/usr/bin/env bash
# Pretest batches and online calibration through a real `rolefit serve`
# (docs/calibration.md "Through the server"): 400 invited tests, one after
# the other, answered on data_analysis from a hidden true bank; batches of 3
# leaving at 200 answers (or on promotion); the review run through the API
# every 200 tests, ready items promoted through it. Checks that each test
# carries exactly the live batch, that the queue counts every answer, and
# that the estimates follow the truth (tests/integration/pretest_http.py).
# The 1,000-test figure of the docs: pretest_http.py build/rolefit DIR 1000 2000 250 19.
cd "$(dirname "$0")/../.." || exit 1
RF=${RF:-${BUILD:-build}/rolefit}
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
exec python3 tests/integration/pretest_http.py "$RF" "$TMP" 400 200 200 19
