#!/usr/bin/env python3
"""Merges the JSON lines of several benchmark passes: for every file, each timing (a key ending
in `_ms`) becomes the median of its values over the passes; other keys are kept from the first.
Usage: median_of_passes.py PASS.jsonl... > merged.jsonl"""
import json
import statistics
import sys

merged = {}
order = []
for name in sys.argv[1:]:
    with open(name) as f:
        for record in map(json.loads, f):
            path = record["path"]
            if path not in merged:
                merged[path] = {"record": dict(record), "times": {}}
                order.append(path)
            for key, value in record.items():
                if key.endswith("_ms"):
                    merged[path]["times"].setdefault(key, []).append(value)
for path in order:
    record = merged[path]["record"]
    for key, values in merged[path]["times"].items():
        record[key] = statistics.median(values)
    print(json.dumps(record))
