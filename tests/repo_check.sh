#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Checks of the repository as a stranger receives it:
#   tests/repo_check.sh standalone SOURCE_DIR  a clone of HEAD in an empty temporary folder,
#       with nothing beside it, configures with CMake, and no tracked file reads a path
#       outside the checkout
#   tests/repo_check.sh licences SOURCE_DIR    LICENSE and NOTICE are there, every source
#       file carries an SPDX-License-Identifier line, and every shipped dataset its licence
#       and provenance
set -euo pipefail
check=${1:?usage: repo_check.sh standalone|licences SOURCE_DIR}
src=$(cd "${2:?usage: repo_check.sh standalone|licences SOURCE_DIR}" && pwd)
fail() { echo "$check check: $*" >&2; exit 1; }

git -C "$src" rev-parse --verify -q HEAD >/dev/null || fail "$src is not a git checkout"

if [ "$check" = licences ]; then
    for f in LICENSE NOTICE; do [ -s "$src/$f" ] || fail "$f is missing"; done
    grep -q 'Apache License' "$src/LICENSE" || fail "LICENSE is not the Apache License 2.0"
    # Source files: code, build files, scripts, configs, units and catalogs. Data (CSV,
    # JSON, fuzz seeds), prose (Markdown) and Debian's fixed formats (changelog, the DEP-5
    # copyright file that states the licence itself, conffiles) cannot carry the line.
    missing=$(git -C "$src" ls-files -- ':!fuzz/corpus' ':!assets/data' |
        grep -E '\.(cpp|hpp|h|c|cmake|sh|py|lua|toml|in|supp|po|service)$|(^|/)(CMakeLists\.txt|Makefile|\.clang-format|\.gitignore)$|^(scripts|\.ci)/[^.]+$|^packaging/deb/.*/(postinst|prerm|postrm)$' |
        while IFS= read -r f; do
            head -n 3 "$src/$f" | grep -q 'SPDX-License-Identifier: ' || echo "$f"
        done)
    [ -z "$missing" ] || fail "these files lack an SPDX-License-Identifier line:"$'\n'"$missing"
    for d in "$src"/assets/data/*/; do
        dataset=${d%/}
        dataset=${dataset#"$src"/}
        for f in LICENSE PROVENANCE.md; do [ -s "$d$f" ] || fail "$dataset/$f is missing"; done
        grep -q "^- $dataset:" "$src/NOTICE" || fail "NOTICE does not list $dataset"
    done
    echo "licences check: LICENSE, NOTICE, SPDX lines and dataset provenance all present"
    exit 0
fi
[ "$check" = standalone ] || fail "unknown check"

# 1. No tracked file names the workplace folder beside the checkout. (The pattern is built
# in two pieces so that this file does not match itself.)
outside='\.\./'"shared/|/work/(main|shared)/"
if found=$(git -C "$src" grep -lE "$outside" -- . ':!fuzz/corpus'); then
    fail "these tracked files read a path outside the checkout:"$'\n'"$found"
fi

# 2. A clone of HEAD alone configures. The folder holds the clone and nothing else.
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
git clone --quiet --no-hardlinks "$src" "$tmp/seba"
cmake -S "$tmp/seba" -B "$tmp/seba/build" -G Ninja >"$tmp/configure.log" 2>&1 ||
    { cat "$tmp/configure.log" >&2; fail "a clone of HEAD with nothing beside it does not configure"; }

# 3. Every file the demo country pack names is in the clone.
pack="$tmp/seba/assets/demo/pack"
while IFS= read -r file; do
    [ -f "$pack/$file" ] || fail "assets/demo/pack/pack.json names $file, which is not in the clone"
    case "$(realpath "$pack/$file")" in
        "$tmp/seba/"*) ;;
        *) fail "assets/demo/pack/pack.json names $file, outside the clone" ;;
    esac
done < <(grep -oE '"[a-z0-9.-]+": *"[^"]+\.(csv|json)"' "$pack/pack.json" | sed -E 's/.*: *"([^"]+)"/\1/')

echo "standalone check: a clone of $(git -C "$src" rev-parse --short HEAD) stands alone"
