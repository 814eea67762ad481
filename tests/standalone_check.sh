#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# The repository stands alone: a clone of HEAD in an empty temporary folder, with nothing
# beside it, configures with CMake, and no tracked file reads a path outside the checkout.
#   tests/standalone_check.sh SOURCE_DIR
set -euo pipefail
src=$(cd "${1:?usage: standalone_check.sh SOURCE_DIR}" && pwd)
fail() { echo "standalone check: $*" >&2; exit 1; }

git -C "$src" rev-parse --verify -q HEAD >/dev/null || fail "$src is not a git checkout"

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
