#!/usr/bin/env bash
# Checks the worker's interfaces with the tools of their own ecosystems, installed pinned in a
# virtual environment under target/ (network: PyPI, only the first time):
#   openapi-spec-validator 0.9.0  the OpenAPI document (GET /v1/openapi.json)
#   prometheus-client 0.26.0      the /metrics text, parsed by text_string_to_metric_families
#   kubernetes-validate 1.37.0    the manifests in deploy/k8s against the Kubernetes schemas
#                                 shipped in the wheel (offline)
#
# Usage: scripts/interfaces-validate.sh setup
#        scripts/interfaces-validate.sh openapi FILE
#        scripts/interfaces-validate.sh metrics FILE [FAMILY...]   (each FAMILY must be present)
#        scripts/interfaces-validate.sh k8s [FILE...]              (default: deploy/k8s/*.yaml)
# Exit status: 0 valid, 1 invalid, 2 usage or set-up failure.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
venv=${FCAS_INTERFACES_VENV:-$root/target/venv-interfaces}
stamp=$venv/.fcas-interfaces-1
kubernetes_version=1.33.0

setup() {
  if [ -f "$stamp" ]; then
    return 0
  fi
  rm -rf "$venv"
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check \
    'openapi-spec-validator==0.9.0' 'prometheus-client==0.26.0' 'kubernetes-validate==1.37.0'
  touch "$stamp"
}

case "${1:-}" in
  setup)
    setup
    echo "interface validators ready in $venv"
    ;;
  openapi)
    [ $# -eq 2 ] || { echo "usage: $0 openapi FILE" >&2; exit 2; }
    setup
    "$venv/bin/openapi-spec-validator" "$2"
    ;;
  metrics)
    [ $# -ge 2 ] || { echo "usage: $0 metrics FILE [FAMILY...]" >&2; exit 2; }
    setup
    shift
    "$venv/bin/python" "$root/scripts/interfaces/metrics_check.py" "$@"
    ;;
  k8s)
    shift
    setup
    if [ $# -eq 0 ]; then
      set -- "$root"/deploy/k8s/*.yaml
    fi
    "$venv/bin/kubernetes-validate" --strict --kubernetes-version "$kubernetes_version" "$@"
    ;;
  *)
    echo "usage: $0 setup | openapi FILE | metrics FILE [FAMILY...] | k8s [FILE...]" >&2
    exit 2
    ;;
esac
