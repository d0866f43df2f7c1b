#!/usr/bin/env python3
"""Checks the documentation against the code (issue 22).

- README.md fits on two screens (at most 80 lines).
- Every relative link of README.md and docs/**/*.md points at a file that
  exists, and a #fragment at a heading of that file (GitHub's slugs).
- docs/openapi.json is an OpenAPI 3 document whose operations are exactly the
  routes of the server's route table (src/server/routes.c), each with a 2xx
  response, its path parameters declared and every $ref resolving; docs/api.md
  names every route too.
- Every reason code the server gives a refusal (rf_app_refuse in
  src/server/*.c) is listed in docs/api.md and in the "reason" enum of
  docs/openapi.json's Error schema, and neither lists a code the server lacks.
Usage: docs_check.py [ROOT]. Prints one line per problem; exits 1 if any.
"""
import json
import os
import re
import sys

root = sys.argv[1] if len(sys.argv) > 1 else "."
problems = []


def bad(where, what):
    problems.append(f"{where}: {what}")


def slug(heading):
    s = heading.strip().lower()
    s = re.sub(r"[`*_~]", "", s)
    s = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", s)
    s = re.sub(r"[^\w\- ]", "", s)
    return s.replace(" ", "-")


def anchors(path):
    out, fence = set(), False
    with open(path, encoding="utf-8") as f:
        for line in f:
            if line.startswith("```"):
                fence = not fence
            elif not fence and line.startswith("#"):
                base = slug(line.lstrip("#"))
                name, n = base, 1
                while name in out:
                    name, n = f"{base}-{n}", n + 1
                out.add(name)
    return out


readme = os.path.join(root, "README.md")
with open(readme, encoding="utf-8") as f:
    nlines = sum(1 for _ in f)
if nlines > 80:
    bad("README.md", f"{nlines} lines; the README fits on two screens (at most 80)")

pages = [readme]
for dirpath, _, files in os.walk(os.path.join(root, "docs")):
    pages += [os.path.join(dirpath, n) for n in sorted(files) if n.endswith(".md")]
link = re.compile(r"\[[^\]]*\]\(([^)\s]+)\)")
for page in pages:
    fence = False
    with open(page, encoding="utf-8") as f:
        for no, line in enumerate(f, 1):
            if line.startswith("```"):
                fence = not fence
                continue
            if fence:
                continue
            for target in link.findall(re.sub(r"`[^`]*`", "", line)):
                if re.match(r"^[a-z]+:", target):
                    continue  # http:, https:, mailto:
                path, _, frag = target.partition("#")
                dest = os.path.normpath(os.path.join(os.path.dirname(page), path)) if path else page
                where = f"{os.path.relpath(page, root)}:{no}"
                if not os.path.exists(dest):
                    bad(where, f"link to '{target}': no such file")
                elif frag and dest.endswith(".md") and frag not in anchors(dest):
                    bad(where, f"link to '{target}': no heading '#{frag}' in {path or 'this page'}")

# The route table: {"METHOD", "/api/...", handler, ...} lines of routes.c.
with open(os.path.join(root, "src/server/routes.c"), encoding="utf-8") as f:
    src = f.read()
routes = {(m.lower(), re.sub(r":(\w+)", r"{\1}", p))
          for m, p in re.findall(r'\{"(GET|POST|PUT|PATCH|DELETE)", "(/api/[^"]*)"', src)}
if not routes:
    bad("src/server/routes.c", "no route table found")

api_path = os.path.join(root, "docs/openapi.json")
try:
    with open(api_path, encoding="utf-8") as f:
        api = json.load(f)
except (OSError, ValueError) as e:
    api = None
    bad("docs/openapi.json", f"not readable JSON: {e}")
if api is not None:
    if not str(api.get("openapi", "")).startswith("3."):
        bad("docs/openapi.json", "field 'openapi': expected a 3.x version")
    for k in ("title", "version"):
        if not isinstance(api.get("info", {}).get(k), str):
            bad("docs/openapi.json", f"info.{k}: expected a string")

    def resolve(ref):
        node = api
        for part in ref.lstrip("#/").split("/"):
            node = node.get(part) if isinstance(node, dict) else None
        return node

    def refs(node, where):
        if isinstance(node, dict):
            for k, v in node.items():
                if k == "$ref" and resolve(v) is None:
                    bad("docs/openapi.json", f"{where}: $ref '{v}' does not resolve")
                refs(v, where)
        elif isinstance(node, list):
            for v in node:
                refs(v, where)

    ops = set()
    for path, item in api.get("paths", {}).items():
        for method, op in item.items():
            where = f"{method.upper()} {path}"
            ops.add((method, path))
            codes = list(op.get("responses", {}))
            if not any(c.startswith("2") for c in codes):
                bad("docs/openapi.json", f"{where}: no 2xx response")
            declared = {p["name"] for p in op.get("parameters", []) if p.get("in") == "path"}
            for name in re.findall(r"\{(\w+)\}", path):
                if name not in declared:
                    bad("docs/openapi.json", f"{where}: path parameter '{name}' not declared")
            refs(op, where)
    for m, p in sorted(routes - ops):
        bad("docs/openapi.json", f"route {m.upper()} {p} of src/server/routes.c is missing")
    for m, p in sorted(ops - routes):
        bad("docs/openapi.json", f"{m.upper()} {p} is not a route of src/server/routes.c")

with open(os.path.join(root, "docs/api.md"), encoding="utf-8") as f:
    apimd = f.read()
for m, p in sorted(routes):
    shown = re.sub(r"\{(\w+)\}", lambda g: g.group(1).upper(), p)
    if f"{m.upper()} {shown}" not in apimd:
        bad("docs/api.md", f"route {m.upper()} {shown} is not in the route table")



def call_args(text, i):
    """The arguments of the C call whose "(" ends at text[i-1]."""
    args, cur, depth, q = [], "", 0, None
    while i < len(text):
        c = text[i]
        if q:
            cur += c
            if c == "\\":
                i += 1
                cur += text[i]
            elif c == q:
                q = None
        elif c in "\"'":
            q, cur = c, cur + c
        elif c == "(":
            depth, cur = depth + 1, cur + c
        elif c == ")" and depth == 0:
            args.append(cur)
            break
        elif c == ")":
            depth, cur = depth - 1, cur + c
        elif c == "," and depth == 0:
            args.append(cur)
            cur = ""
        else:
            cur += c
        i += 1
    return args


reasons = set()
srcdir = os.path.join(root, "src/server")
for name in sorted(os.listdir(srcdir)):
    if name.endswith(".c"):
        with open(os.path.join(srcdir, name), encoding="utf-8") as f:
            text = f.read()
        for m in re.finditer(r"\brf_app_refuse\(", text):
            args = call_args(text, m.end())
            reasons |= set(re.findall(r'"([a-z0-9_]+)"', args[3] if len(args) > 3 else ""))
# the refusals of a typed number (src/bank/answer.h RF_ANSWER_WHY_*), which
# the answer route passes to rf_app_refuse as they come
answer_h = os.path.join(root, "src/bank/answer.h")
if os.path.exists(answer_h):
    with open(answer_h, encoding="utf-8") as f:
        reasons |= set(re.findall(r'#define RF_ANSWER_WHY_[A-Z_]+ "([a-z0-9_]+)"', f.read()))
if api is not None and reasons:
    enum = api.get("components", {}).get("schemas", {}).get("Error", {}).get(
        "properties", {}).get("reason", {}).get("enum", [])
    for r in sorted(reasons - set(enum)):
        bad("docs/openapi.json", f"reason code '{r}' of src/server is not in Error.reason's enum")
    for r in sorted(set(enum) - reasons):
        bad("docs/openapi.json", f"reason code '{r}' is given by no rf_app_refuse of src/server")
for r in sorted(reasons):
    if f"`{r}`" not in apimd:
        bad("docs/api.md", f"reason code '{r}' of src/server is not listed")

for p in problems:
    print(p)
sys.exit(1 if problems else 0)
