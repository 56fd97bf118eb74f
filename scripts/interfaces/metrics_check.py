#!/usr/bin/env python3
"""Parses a Prometheus text exposition with the Prometheus client library's own parser
(prometheus_client.parser.text_string_to_metric_families) and checks that the named families are
there. Usage: metrics_check.py FILE [FAMILY...]. Exit 1 when the text does not parse or a family
is missing."""
import sys

from prometheus_client.parser import text_string_to_metric_families


def main(path, wanted):
    with open(path, encoding="utf-8") as handle:
        text = handle.read()
    try:
        families = {family.name: family for family in text_string_to_metric_families(text)}
    except Exception as error:  # the parser raises ValueError and others on malformed text
        print(f"{path}: does not parse: {error}")
        return 1
    # The parser names counters without their `_total` suffix.
    missing = [name for name in wanted if name not in families and name.removesuffix("_total") not in families]
    for name in missing:
        print(f"{path}: family {name} missing (found {sorted(families)})")
    if not missing:
        print(f"{path}: {len(families)} metric families parsed")
    return 1 if missing else 0


if __name__ == "__main__":
    if len(sys.argv) < 2:
        print("usage: metrics_check.py FILE [FAMILY...]", file=sys.stderr)
        sys.exit(2)
    sys.exit(main(sys.argv[1], sys.argv[2:]))
