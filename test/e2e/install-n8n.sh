#!/usr/bin/env bash
# Installs n8n (and, if needed, a Node.js runtime from the npm package `node`) in a cache folder of its own,
# never inside the package: n8n is 2-3 GB and must not become a dependency. Idempotent: a finished install
# is marked with .complete and reused; an interrupted one is wiped and redone.
#
#   N8N_E2E_VERSION  n8n version            (default 2.41.1; `latest` resolves through the registry)
#   N8N_E2E_NODE     Node.js major to run it (default: 22 for n8n 1.x, whose native isolated-vm only
#                    has builds for Node.js 22 and 24; otherwise the machine's if n8n's engines allow
#                    it, else the oldest they allow: 24 for 2.41.1, the machine's Node 20 for 2.8.4)
#   N8N_E2E_CACHE    cache root             (default ~/.cache/n8n-nodes-tracy)
#
# Prints nothing on stdout but, as its last line, the install folder (holding node_modules/.bin/n8n and
# a file `node-bin` with the path of the Node.js binary to run it with).
set -euo pipefail

version="${N8N_E2E_VERSION:-2.41.1}"
# `latest` (the weekly CI run) is resolved to the version it names today
if [ "$version" = latest ]; then version="$(npm view n8n@latest version)"; fi
cache="${N8N_E2E_CACHE:-$HOME/.cache/n8n-nodes-tracy}"
machine_major="$(node -p 'process.versions.node.split(".")[0]')"
node_major="${N8N_E2E_NODE:-}"
if [ -z "$node_major" ]; then
	case "$version" in
	1.*)
		# n8n 1.x cannot start without isolated-vm (its expression engine), which ships builds for
		# Node.js 22 and 24 only and does not compile on 20 here; 22 is the tested pairing
		node_major=22
		;;
	*)
		# a finished install of this version decides; otherwise the oldest Node major n8n's engines
		# allow, or the machine's own when it is recent enough (2.8.4 runs on Node 20, 2.41.1 on 24)
		done_dir="$(ls -d "$cache/n8n-$version-node"*/.complete 2>/dev/null | head -n1 || true)"
		if [ -n "$done_dir" ]; then
			node_major="$(basename "$(dirname "$done_dir")")"
			node_major="${node_major##*-node}"
		else
			engines="$(npm view "n8n@$version" engines.node 2>/dev/null || true)"
			min="$(printf '%s' "$engines" | sed -n 's/.*>= *\([0-9][0-9]*\).*/\1/p')"
			min="${min:-$machine_major}"
			if [ "$machine_major" -ge "$min" ]; then node_major="$machine_major"; else node_major="$min"; fi
		fi
		;;
	esac
fi
dir="$cache/n8n-$version-node$node_major"
log() { echo "[install-n8n] $*" >&2; }

mkdir -p "$cache"

# The lock keeps two runs (CI and a dev instance) from installing into the same folder at once.
exec 9>"$cache/.lock-n8n-$version-node$node_major"
flock 9

# --- Node.js runtime -------------------------------------------------------------------------------
# The machine's node when its major matches; otherwise the npm package `node@<major>`, which ships the
# binary and the headers that native modules (sqlite3) are built against.
node_bin=""
node_headers=""
if [ "$machine_major" = "$node_major" ]; then
	node_bin="$(command -v node)"
	prefix="$(dirname "$(dirname "$(readlink -f "$node_bin")")")"
	if [ -f "$prefix/include/node/node.h" ]; then node_headers="$prefix"; fi
else
	rt="$cache/node$node_major"
	if [ ! -f "$rt/.complete" ]; then
		log "installing Node.js $node_major from the npm package node@$node_major into $rt"
		rm -rf "$rt" && mkdir -p "$rt"
		echo '{"name":"node-runtime","private":true}' > "$rt/package.json"
		# the package's install script fetches the platform binary: scripts must run here
		(cd "$rt" && npm install --no-audit --no-fund --ignore-scripts=false "node@$node_major" >&2)
		touch "$rt/.complete"
	fi
	node_bin="$rt/node_modules/node/bin/node"
	node_headers="$(ls -d "$rt"/node_modules/node/node_modules/node-*/include/node 2>/dev/null | head -n1 || true)"
	node_headers="${node_headers%/include/node}"
fi
"$node_bin" -e 'process.exit(0)' || { log "cannot run $node_bin"; exit 1; }

# --- n8n -------------------------------------------------------------------------------------------
if [ ! -f "$dir/.complete" ]; then
	log "installing n8n $version for Node.js $node_major into $dir (about 7 minutes)"
	rm -rf "$dir" && mkdir -p "$dir"
	# xlsx: n8n's default tarball lives on a host outside the npm registry; the registry's last release works.
	cat > "$dir/package.json" <<JSON
{
  "name": "n8n-e2e-host",
  "private": true,
  "dependencies": { "n8n": "$version" },
  "overrides": { "xlsx": "0.18.5" }
}
JSON
	export PATH="$(dirname "$node_bin"):$PATH"
	# scripts off: some optional native modules (a Kafka client, isolated-vm) try to download or fail to
	# build offline; sqlite3, the one n8n needs, is rebuilt on its own below.
	# one retry: a registry hiccup should not fail a CI run that takes minutes to reach this point
	installed=""
	for attempt in 1 2; do
		if (cd "$dir" && npm install --no-audit --no-fund --ignore-scripts --loglevel=error >&2); then installed=1; break; fi
		log "npm install failed (attempt $attempt)"
	done
	[ -n "$installed" ] || exit 1
	if [ -n "$node_headers" ]; then export npm_config_nodedir="$node_headers"; fi
	(cd "$dir" && npm rebuild sqlite3 --ignore-scripts=false >&2)
	(cd "$dir" && "$node_bin" -e 'require("sqlite3")') || { log "sqlite3 does not load under $node_bin"; exit 1; }
	case "$version" in
	1.*)
		(cd "$dir" && "$node_bin" -e 'require("isolated-vm")') ||
			{ log "isolated-vm does not load under Node.js $node_major: n8n $version needs it (use N8N_E2E_NODE=22)"; exit 1; }
		;;
	esac
	touch "$dir/.complete"
fi
echo "$node_bin" > "$dir/node-bin"
"$node_bin" "$dir/node_modules/n8n/bin/n8n" --version >/dev/null 2>&1 || log "warning: n8n --version failed"
echo "$dir"
