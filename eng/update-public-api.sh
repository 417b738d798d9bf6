#!/usr/bin/env bash
# Records public API changes of the packed src/ projects from the build's own diagnostics:
#   RS0016 (a public symbol not in the baseline)  -> the symbol is added to PublicAPI.Unshipped.txt
#   RS0017 (a baseline symbol that is gone)       -> the symbol is removed from PublicAPI.Shipped.txt / Unshipped.txt
# Usage: eng/update-public-api.sh [--ship] [src/Project ...]   (default: every src/* project)
#   --ship  afterwards moves every project's unshipped lines into PublicAPI.Shipped.txt (at a release).
# Review the diff of the PublicAPI.*.txt files: it is the public API change of your branch.
set -euo pipefail
cd "$(dirname "$0")/.."

ship=false
if [ "${1:-}" = "--ship" ]; then ship=true; shift; fi
if [ $# -gt 0 ]; then dirs=("$@"); else dirs=(src/*/); fi

log=$(mktemp)
trap 'rm -f "$log"' EXIT
projects=()
for dir in "${dirs[@]}"; do
  dir=${dir%/}
  proj=$(ls "$dir"/*.csproj 2>/dev/null | head -1) || true
  if [ -z "$proj" ]; then echo "no project in $dir" >&2; exit 2; fi
  for f in PublicAPI.Shipped.txt PublicAPI.Unshipped.txt; do
    [ -f "$dir/$f" ] || printf '#nullable enable\n' > "$dir/$f"
    touch "$dir/$f" # an input of the compiler: the project compiles again and reports its diagnostics
  done
  projects+=("$proj")
done

for proj in "${projects[@]}"; do
  echo "building $proj" >&2
  # Warnings stay warnings here so one build reports every RS0016/RS0017 of the project.
  dotnet build "$proj" -c Release -v q -nologo -p:TreatWarningsAsErrors=false >> "$log" 2>&1 || true
done

python3 - "$log" "$ship" "${projects[@]}" <<'PY'
import os, re, sys
log, ship, projects = sys.argv[1], sys.argv[2] == "true", sys.argv[3:]
pattern = re.compile(r"warning (RS0016|RS0017): Symbol '(.+?)' is (?:not )?part of the declared (?:public )?API.*\[(.+?\.csproj)\]")
found = {}
for line in open(log, encoding="utf-8", errors="replace"):
    m = pattern.search(line)
    if m:
        found.setdefault(os.path.realpath(m.group(3)), set()).add((m.group(1), m.group(2)))
errors = [l.rstrip() for l in open(log, encoding="utf-8", errors="replace") if ": error " in l]
if errors:
    print("\n".join(sorted(set(errors))[:20]), file=sys.stderr)
    print("the build has errors besides the API baseline: fix them first", file=sys.stderr)
    sys.exit(1)

def read(path):
    lines = [l.rstrip("\n") for l in open(path, encoding="utf-8")]
    return [l for l in lines if l and l != "#nullable enable"]

def write(path, lines):
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        f.write("#nullable enable\n" + "".join(l + "\n" for l in sorted(set(lines), key=lambda s: (s.lower(), s))))

for proj in projects:
    d = os.path.dirname(os.path.realpath(proj))
    shipped_path, unshipped_path = os.path.join(d, "PublicAPI.Shipped.txt"), os.path.join(d, "PublicAPI.Unshipped.txt")
    shipped, unshipped = read(shipped_path), read(unshipped_path)
    diags = found.get(os.path.realpath(proj), set())
    added = {s for k, s in diags if k == "RS0016"}
    removed = {s for k, s in diags if k == "RS0017"}
    shipped = [l for l in shipped if l not in removed]
    unshipped = [l for l in unshipped if l not in removed] + sorted(added)
    if ship:
        shipped, unshipped = shipped + unshipped, []
    write(shipped_path, shipped)
    write(unshipped_path, unshipped)
    print(f"{os.path.relpath(d)}: +{len(added)} -{len(removed)}")
PY
