#!/usr/bin/env bash
# The browser for the editor scenarios: Debian's `chromium` package, driven by playwright-core through
# its executablePath (no browser download from outside the package registries). Installed only when
# missing; waits for another apt run to finish rather than fail on its lock.
#
#   TRACY_E2E_CHROMIUM   path of a Chromium binary to use instead (default /usr/bin/chromium)
set -euo pipefail

bin="${TRACY_E2E_CHROMIUM:-/usr/bin/chromium}"
if [ -x "$bin" ]; then
	echo "$bin"
	exit 0
fi
if ! command -v apt-get >/dev/null 2>&1; then
	echo "[install-chromium] $bin is missing and there is no apt-get: install Chromium and set TRACY_E2E_CHROMIUM" >&2
	exit 1
fi
sudo=""
if [ "$(id -u)" != 0 ]; then sudo="sudo"; fi
echo "[install-chromium] installing Debian's chromium package" >&2
$sudo apt-get -o DPkg::Lock::Timeout=600 update >&2
DEBIAN_FRONTEND=noninteractive $sudo apt-get -o DPkg::Lock::Timeout=600 install -y --no-install-recommends chromium >&2
[ -x "$bin" ] || { echo "[install-chromium] $bin still missing after apt-get" >&2; exit 1; }
echo "$bin"
