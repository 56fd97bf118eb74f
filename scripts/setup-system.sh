#!/usr/bin/env bash
# Installs the Debian/Ubuntu packages a target needs, only those missing. Idempotent.
# Usage: scripts/setup-system.sh GROUP...   (groups: build, test, bench, app, app-test, fleet, containers, packages)
set -euo pipefail

declare -A GROUP_PACKAGES=(
  [build]="build-essential pkg-config curl ca-certificates"
  [test]="python3 python3-venv"
  [bench]="python3 python3-venv libfuzzy2 ssdeep tlsh-tools time util-linux"
  [app]="libwebkit2gtk-4.1-dev build-essential curl wget file libxdo-dev libssl-dev libayatana-appindicator3-dev librsvg2-dev pkg-config"
  [app-test]="xvfb xauth webkit2gtk-driver imagemagick x11-utils xdotool dbus-x11 at-spi2-core chromium xclip"
  [fleet]="nginx"
  # Tools that build the container test corpus (scripts/make-container-corpus.sh); cabextract
  # is the reference reader for cabinets; genisoimage -udf makes an ISO/UDF bridge, mkudffs a pure UDF;
  # mkntfs and ntfscp (ntfs-3g) make and fill an NTFS volume without mounting it.
  # Building the .deb files (dpkg-deb) and trying them: Xvfb for the app, curl for the worker,
  # setpriv (util-linux) to run the unit's command line as its user, systemd-analyze to check it.
  [packages]="dpkg-dev xvfb xauth curl util-linux passwd systemd"
  [containers]="7zip zip unzip genisoimage udftools gcab wixl mtools dosfstools ntfs-3g fdisk qemu-utils xz-utils bzip2 zstd cabextract python3"
)

missing=()
for group in "$@"; do
  packages="${GROUP_PACKAGES[$group]:-}"
  if [[ -z "$packages" ]]; then
    echo "setup-system: unknown group '$group' (known: ${!GROUP_PACKAGES[*]})" >&2
    exit 2
  fi
  for package in $packages; do
    if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed"; then
      missing+=("$package")
    fi
  done
done

if ((${#missing[@]} == 0)); then
  exit 0
fi
echo "setup-system: installing ${missing[*]}"
SUDO=""
if [[ $(id -u) -ne 0 ]]; then
  SUDO="sudo"
fi
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
