#!/usr/bin/env bash
# The packaging tools, pinned and installed inside the project (idempotent): cargo-deb 3.8.0
# (MIT) under target/tools, and the Tauri command line 2.12.x (MIT OR Apache-2.0, a prebuilt
# binary from npm) under packaging/node_modules.
set -euo pipefail
cd "$(dirname "$0")/../.."
CARGO_DEB_VERSION=3.8.0
if ! target/tools/bin/cargo-deb --version 2>/dev/null | grep -q " $CARGO_DEB_VERSION"; then
    cargo install cargo-deb --version "=$CARGO_DEB_VERSION" --locked --root target/tools
fi
if [ ! -e packaging/node_modules/.installed ] || [ packaging/package-lock.json -nt packaging/node_modules/.installed ]; then
    (cd packaging && npm ci --no-audit --no-fund)
    touch packaging/node_modules/.installed
fi
