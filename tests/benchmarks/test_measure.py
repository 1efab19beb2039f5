"""The benchmark harness's rounds, spreads and verdicts (benchmarks/_measure.py)."""

from __future__ import annotations

import os
import sys

import pytest

sys.path.insert(
    0, os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(__file__))), "benchmarks")
)

from _measure import Spread, Target, ratios, rounds_of


def test_rounds_rotate_the_order_and_drop_the_warm_up_round():
    order = []

    def batch(name):
        def run():
            order.append(name)
            return float(len(order))

        return run

    results = rounds_of({name: batch(name) for name in "abc"}, rounds=3)
    # Warm-up (round -1 starts at c), then a b c, b c a, c a b.
    assert order == list("cababcbcacab")
    assert results == {"a": [4.0, 9.0, 11.0], "b": [5.0, 7.0, 12.0], "c": [6.0, 8.0, 10.0]}
    # Every contender ran first once, and last once, in the measured rounds.
    assert {order[3], order[6], order[9]} == {"a", "b", "c"}
    assert {order[5], order[8], order[11]} == {"a", "b", "c"}


def test_ratios_pair_measurements_of_the_same_round():
    spread = ratios([2.0, 4.0, 9.0, 1.0, 3.0], [4.0, 4.0, 3.0, 2.0, 6.0])
    assert spread.median == 0.5
    assert (spread.low, spread.high, spread.count) == (0.5, 3.0, 5)
    assert (spread.q1, spread.q3) == (0.5, 1.0)
    assert spread.format() == "0.50 (0.50-3.00; IQR 0.50-1.00)"


def test_a_single_round_has_no_spread():
    assert Spread.of([1.5]) == Spread(1.5, 1.5, 1.5, 1.5, 1.5, 1)


@pytest.mark.parametrize(
    ("values", "target", "verdict"),
    [
        ([0.5, 0.55, 0.58], Target("<=", 0.6), (True, "")),
        ([0.7, 0.8, 0.9], Target("<=", 0.6), (False, "")),
        ([0.5, 0.55, 0.58, 0.59, 0.7], Target("<=", 0.6), (True, "the range crosses the target")),
        ([0.4, 0.5, 0.62, 0.65, 0.7], Target("<=", 0.6), (False, "the IQR crosses the target")),
        ([1.5, 1.7, 1.9], Target(">=", 1.6), (True, "the range crosses the target")),
        ([1.6, 1.6, 1.6], Target(">=", 1.6), (True, "")),
    ],
)
def test_the_verdict_uses_the_median_and_says_when_noise_could_flip_it(values, target, verdict):
    assert target.verdict(Spread.of(values)) == verdict


def test_targets_print_their_bound():
    assert str(Target(">=", 2 / 3, "2/3")) == ">= 2/3"
    assert str(Target("<=", 0.6)) == "<= 0.6"


def _run(results, commit="abc1234"):
    return {
        "machine": "Linux, 2 CPUs",
        "software": "Python 3.11",
        "commit": commit,
        "date": "2026-11-28 08:00 UTC",
        "quick": False,
        "seconds": 300,
        "load_at_start": "load average 0.10 0.20 0.30 on 2 CPUs",
        "load_at_end": "load average 0.90 0.50 0.40 on 2 CPUs",
        "results": [
            {"metric": metric, "value": value, "target": target, "ok": ok, "note": note}
            for metric, value, target, ok, note in results
        ],
    }


def test_compare_sets_runs_side_by_side_with_each_verdict():
    from compare import markdown

    first = _run(
        [
            ("ratio A", "0.50 (0.4-0.6; IQR 0.45-0.55)", "<= 0.6", True, ""),
            (
                "ratio B",
                "0.95 (0.9-1.1; IQR 0.9-1.0)",
                "<= 1",
                True,
                "the range crosses the target",
            ),
            ("rate", "1,000 (900-1,100; IQR 950-1,050)", "", None, ""),
        ]
    )
    second = _run(
        [
            ("ratio A", "0.70 (0.6-0.8; IQR 0.65-0.75)", "<= 0.6", False, ""),
            ("rate", "1,200 (1,100-1,300; IQR 1,150-1,250)", "", None, ""),
        ],
        commit="def5678",
    )
    text = markdown([first, second]).splitlines()
    assert (
        "| ratio A | 0.50 (0.4-0.6; IQR 0.45-0.55) | 0.70 (0.6-0.8; IQR 0.65-0.75) |"
        " <= 0.6 | yes / **no** |" in text
    )
    assert (
        "| ratio B | 0.95 (0.9-1.1; IQR 0.9-1.0) | not run | <= 1 |"
        " yes (the range crosses the target) / not run |" in text
    )
    assert (
        "| rate | 1,000 (900-1,100; IQR 950-1,050) | 1,200 (1,100-1,300; IQR 1,150-1,250) |" in text
    )
    summary = next(line for line in text if line.startswith("Targets met"))
    assert "run 1 2 of 2" in summary
    assert "run 2 0 of 1" in summary
    assert any("commit def5678" in line for line in text)


def test_load_processes_share_the_requests_and_report_a_rate():
    import threading
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    from _load import LoadProcesses

    seen = []

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_GET(self):
            seen.append(self.headers.get("Authorization"))
            body = b"{}" if self.path == "/ok" else b"nope"
            self.send_response(200 if self.path == "/ok" else 500)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_address[1]}"
    try:
        with LoadProcesses(2, {"Authorization": "Bearer t"}) as load:
            assert load.requests_per_second(url + "/ok", 10) > 0
            # 10 timed requests plus one warm-up request per process.
            assert seen == ["Bearer t"] * 12
            with pytest.raises(RuntimeError, match="500 nope"):
                load.requests_per_second(url + "/fail", 4)
    finally:
        server.shutdown()
        server.server_close()
