"""Set runs of ``benchmarks/run.py --json`` side by side, as the README's Markdown tables.

    python benchmarks/compare.py run1.json run2.json [...]

First every target, with each run's median, range and IQR and its verdict,
then the measurements without a target (each contender's medians, requests
per second...), then the runs' machine, commit and load.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any


def _verdict(result: dict[str, Any]) -> str:
    text = {True: "yes", False: "**no**", None: ""}[result["ok"]]
    return f"{text} ({result['note']})" if result["note"] else text


def markdown(runs: list[dict[str, Any]]) -> str:
    names = [f"run {index}" for index in range(1, len(runs) + 1)]
    by_metric: dict[str, list[Any]] = {}
    targets: dict[str, str] = {}
    for index, run in enumerate(runs):
        for result in run["results"]:
            row = by_metric.setdefault(result["metric"], [None] * len(runs))
            row[index] = result
            if result["target"]:
                targets[result["metric"]] = result["target"]
    lines = [
        f"| target | {' | '.join(name + ': median (range; IQR)' for name in names)}"
        f" | target | met ({' / '.join(names)}) |",
        "|---" * (len(runs) + 3) + "|",
    ]
    for metric, row in by_metric.items():
        if metric not in targets:
            continue
        values = [result["value"] if result else "not run" for result in row]
        verdicts = [_verdict(result) if result else "not run" for result in row]
        lines.append(
            f"| {metric} | {' | '.join(values)} | {targets[metric]} | {' / '.join(verdicts)} |"
        )
    met = [sum(1 for r in run["results"] if r["ok"] is True) for run in runs]
    judged = [sum(1 for r in run["results"] if r["ok"] is not None) for run in runs]
    shaky = [sum(1 for r in run["results"] if r["note"]) for run in runs]
    lines.append("")
    lines.append(
        "Targets met by the median: "
        + ", ".join(f"{name} {m} of {j}" for name, m, j in zip(names, met, judged))
        + "; verdicts whose spread crosses their target: "
        + ", ".join(f"{name} {count}" for name, count in zip(names, shaky))
        + "."
    )
    lines += ["", f"| measurement | {' | '.join(names)} |", "|---" * (len(runs) + 1) + "|"]
    for metric, row in by_metric.items():
        if metric in targets:
            continue
        values = [result["value"] if result else "not run" for result in row]
        lines.append(f"| {metric} | {' | '.join(values)} |")
    lines.append("")
    for name, run in zip(names, runs):
        quick = " (--quick: not for publishing)" if run.get("quick") else ""
        lines.append(
            f"- {name}{quick}: {run['date']}, commit {run['commit']}, {run['seconds']} s;"
            f" at start {run['load_at_start']}; at end {run['load_at_end']}."
        )
    machines = {run["machine"] + "; " + run["software"] for run in runs}
    lines += [f"- {machine}" for machine in sorted(machines)]
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("runs", nargs="+", help="files written by run.py --json")
    args = parser.parse_args()
    runs = []
    for path in args.runs:
        with open(path, encoding="utf-8") as file:
            runs.append(json.load(file))
    print(markdown(runs))
    return 0


if __name__ == "__main__":
    sys.exit(main())
