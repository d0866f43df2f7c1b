#!/usr/bin/env bash
# The availability attacks of issue 21 against a real server on loopback:
# slowloris, sign-in flood, practice-slot exhaustion, each with a health prober
# and a legitimate user alongside (tests/integration/attacks.py says how).
# Without arguments (make test): functional checks at reduced counts, no
# timing. `make attacks` passes --full: the issue's counts and health p99.
cd "$(dirname "$0")/../.." || exit 1
exec python3 tests/integration/attacks.py "$@"
