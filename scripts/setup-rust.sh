#!/usr/bin/env bash
# Makes sure a Rust toolchain new enough for the workspace is on PATH. Idempotent.
set -euo pipefail
MIN_RUST="1.90"
if ! command -v cargo >/dev/null 2>&1 && [[ -x "$HOME/.cargo/bin/cargo" ]]; then
  export PATH="$HOME/.cargo/bin:$PATH"
fi
if ! command -v cargo >/dev/null 2>&1; then
  if command -v rustup >/dev/null 2>&1; then
    rustup toolchain install stable --profile minimal
  else
    echo "setup-rust: no Rust toolchain found. Install one (https://rustup.rs or 'apt-get install cargo')," >&2
    echo "setup-rust: version $MIN_RUST or newer, then run make again." >&2
    exit 1
  fi
fi
version=$(rustc --version | awk '{print $2}')
if [[ "$(printf '%s\n%s\n' "$MIN_RUST" "$version" | sort -V | head -1)" != "$MIN_RUST" ]]; then
  echo "setup-rust: rustc $version is older than $MIN_RUST; run 'rustup update stable'." >&2
  exit 1
fi
