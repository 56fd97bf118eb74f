#!/usr/bin/env python3
"""Fire rates of the indicators over one run of the engine's `indicator_reports`
example on the calibration corpus (JSON lines with `path` and `indicators`, as in a report).

    summarize.py REPORTS.jsonl OUT.json

Writes, as JSON: the number of reports, each indicator's count by severity, the reports that
hold a `high` indicator (what makes the verdict `suspicious` from indicators alone) and those
that hold a `medium` one.
"""
import collections
import json
import sys



def main(reports_path, out_path):
    files = 0
    errors = 0
    by_indicator = collections.defaultdict(collections.Counter)
    suspicious = []
    medium = []
    with open(reports_path) as reports:
        for line in reports:
            line = line.strip()
            if not line:
                continue
            report = json.loads(line)
            files += 1
            if any(e.get("stage") in ("input", "isolation") for e in report.get("errors", [])):
                errors += 1
            ids = set()
            high = []
            worth_a_look = []
            for indicator in report.get("indicators", []):
                severity = str(indicator.get("severity", "")).lower()
                key = (indicator["id"], severity)
                if key in ids:
                    continue
                ids.add(key)
                by_indicator[indicator["id"]][severity] += 1
                if severity in ("high", "critical"):
                    high.append(indicator["id"])
                elif severity == "medium":
                    worth_a_look.append(indicator["id"])
            name = report.get("path") or report.get("identity", {}).get("sha256")
            if worth_a_look:
                medium.append({"file": name, "medium": sorted(set(worth_a_look))})
            if high:
                suspicious.append({"file": name, "high": sorted(set(high))})
    summary = {
        "files": files,
        "failed": errors,
        "indicators": {i: dict(c) for i, c in sorted(by_indicator.items())},
        "suspicious": suspicious,
        "medium": medium,
    }
    with open(out_path, "w") as out:
        json.dump(summary, out, indent=1, sort_keys=True)


if __name__ == "__main__":
    main(*sys.argv[1:3])
