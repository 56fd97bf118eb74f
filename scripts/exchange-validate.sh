#!/usr/bin/env bash
# Validates FCAS's exchange exports with the reference tools of their ecosystems, installed pinned
# in a virtual environment under target/ (network: PyPI, only the first time):
#   stix2-validator 3.2.0 in strict mode (3.3.1's wheel ships without its schemas and calls every
#   file invalid), and pymisp 2.5.34.4's MISP object templates (scripts/exchange/misp_check.py:
#   every object checked against the template its name and uuid claim). The ids of STIX `file`
#   observables are recomputed by the specification's rule (scripts/exchange/stix_file_ids.py).
#
# Usage: scripts/exchange-validate.sh setup              (create or reuse target/venv-exchange)
#        scripts/exchange-validate.sh stix FILE...       (strict STIX 2.1 validation)
#        scripts/exchange-validate.sh misp FILE...       (MISP event objects against templates)
# Exit status: 0 valid, 1 invalid, 2 usage or set-up failure.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
venv=${FCAS_EXCHANGE_VENV:-$root/target/venv-exchange}
stamp=$venv/.fcas-exchange-1

setup() {
  if [ -f "$stamp" ]; then
    return 0
  fi
  rm -rf "$venv"
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check 'stix2-validator==3.2.0' 'pymisp==2.5.34.4'
  touch "$stamp"
}

case "${1:-}" in
  setup)
    setup
    echo "exchange validators ready in $venv"
    ;;
  stix)
    shift
    [ $# -gt 0 ] || { echo "usage: $0 stix FILE..." >&2; exit 2; }
    setup
    status=0
    for file in "$@"; do
      "$venv/bin/stix2_validator" --strict --version 2.1 "$file" || status=1
    done
    "$venv/bin/python" "$root/scripts/exchange/stix_file_ids.py" "$@" || status=1
    exit $status
    ;;
  misp)
    shift
    [ $# -gt 0 ] || { echo "usage: $0 misp FILE..." >&2; exit 2; }
    setup
    "$venv/bin/python" "$root/scripts/exchange/misp_check.py" "$@"
    ;;
  *)
    echo "usage: $0 setup | stix FILE... | misp FILE..." >&2
    exit 2
    ;;
esac
