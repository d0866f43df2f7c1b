#!/usr/bin/env bash
# The docs against the code (issue 22): README length, links and anchors, the
# OpenAPI description against the route table. Also checks that the checker
# fails on a broken copy, so this test can fail.
cd "$(dirname "$0")/../.." || exit 1
. tests/integration/lib.sh
check=tests/integration/docs_check.py

expect "docs match the code" 0 '' python3 "$check" .

# A copy with one route dropped from the OpenAPI file, a dead link and a long README.
mkdir -p "$TMP/t/docs" "$TMP/t/src/server"
cp -r docs/. "$TMP/t/docs/"
cp src/server/routes.c "$TMP/t/src/server/"
python3 - "$TMP/t/docs/openapi.json" <<'PY'
import json, sys
p = sys.argv[1]; d = json.load(open(p)); del d["paths"]["/api/tests/{id}/followup"]
json.dump(d, open(p, "w"))
PY
{ cat README.md; echo "[gone](docs/nothing.md) [anchor](docs/api.md#no-such-heading)"; seq 80; } > "$TMP/t/README.md"
expect "missing route named" 1 'route POST /api/tests/\{id\}/followup of src/server/routes.c is missing' python3 "$check" "$TMP/t"
expect "dead link named" 1 "README.md:[0-9]+: link to 'docs/nothing.md': no such file" python3 "$check" "$TMP/t"
expect "dead anchor named" 1 "no heading '#no-such-heading'" python3 "$check" "$TMP/t"
expect "long README named" 1 'README.md: [0-9]+ lines' python3 "$check" "$TMP/t"
# a route the server gains but the description lacks
sed -i 's|{"GET", "/api/health", h_health|{"GET", "/api/healthz", h_health, NULL, 0},\n    {"GET", "/api/health", h_health|' "$TMP/t/src/server/routes.c"
expect "new route named" 1 'route GET /api/healthz of src/server/routes.c is missing' python3 "$check" "$TMP/t"
# a reason code the server gives but the description lacks
cp src/server/app_review.c "$TMP/t/src/server/"
python3 - "$TMP/t/docs/openapi.json" <<'PY'
import json, sys
p = sys.argv[1]; d = json.load(open(p))
d["components"]["schemas"]["Error"]["properties"]["reason"]["enum"].remove("recal_stale")
json.dump(d, open(p, "w"))
PY
expect "missing reason code named" 1 "reason code 'recal_stale' of src/server is not in Error.reason's enum" python3 "$check" "$TMP/t"
finish
