"""Log redaction: the cost of a redacted DEBUG line as clients come and go, as ratios.

tweepy-dm redacts the credentials of every live client from DEBUG log lines
(``tweepy_dm._logging``). The cost of one line must not grow with the number
of clients a program ever made (0.1 kept every secret forever: 20,000 clients
made each line about 400 times slower), nor much with how many are alive.
Run from the repository root::

    python benchmarks/redaction.py          # about 20 seconds
    python benchmarks/redaction.py --quick  # checks the script, not the numbers

Measured in interleaved rounds (see ``_measure.py``), CPU per redacted line of
tweepy's request log line, with:

- one live client: the baseline;
- 20,000 live clients (each with a bearer token and a consumer secret, the
  tokens alike in their first 21 characters, as X's are). Target: <= 4x;
- 20,000 clients made and dropped before the line. Target: <= 1.3x.
"""

from __future__ import annotations

import argparse
import gc
import os
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)

from _measure import MachineLoad, Target, cpu_per_call, ratios, rounds_of  # noqa: E402

from tweepy_dm import _logging  # noqa: E402

LINE = (
    "Making API request: GET https://api.twitter.com/2/dm_events\n"
    "Parameters: {'max_results': 100, 'dm_event.fields': 'id,text,event_type,created_at'}\n"
    "Headers: {'User-Agent': 'Python/3.11.7 Requests/2.34.2 Tweepy/4.17.0', "
    "'Authorization': 'Bearer AAAAAAAAAAAAAAAAAAAAAMLheAAAAAAA0%2BuSeid%2BULvsea4JtiGRiSDSJ'}\n"
    "Body: None"
)
CLIENTS = 20_000


class Holder:
    """Stands for a client: what ``protect_client`` reads is its credential attributes."""

    def __init__(self, number: int) -> None:
        self.bearer_token = f"AAAAAAAAAAAAAAAAAAAAA{number:024d}%3DxYz"
        self.consumer_secret = f"{number:030d}consumer-secret"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true")
    quick = parser.parse_args().quick
    rounds, lines = (2, 200) if quick else (7, 3000)
    load = MachineLoad.now()
    kept = Holder(-1)
    _logging.protect_client(kept)
    live: list[Holder] = []

    def redact() -> None:
        _logging.redact(LINE)

    def measure(setup, teardown):
        timed = cpu_per_call(redact, lines)

        def batch() -> float:
            setup()
            redact()  # pays any one-time work (pruning the dead) outside the timing
            try:
                return timed()
            finally:
                teardown()

        return batch

    def hold_live() -> None:
        live.extend(Holder(number) for number in range(CLIENTS))
        for holder in live:
            _logging.protect_client(holder)

    def drop_live() -> None:
        live.clear()
        gc.collect()

    def made_and_dropped() -> None:
        hold_live()
        drop_live()

    measured = rounds_of(
        {
            "one client": measure(lambda: None, lambda: None),
            "20,000 live": measure(hold_live, drop_live),
            "20,000 dropped": measure(made_and_dropped, lambda: None),
        },
        rounds,
    )
    print(f"machine: {load.describe(MachineLoad.now())}")
    print(f"one client: {min(measured['one client']) * 1e6:.1f} us per line (best round)")
    for name, target in (("20,000 live", 4.0), ("20,000 dropped", 1.3)):
        spread = ratios(measured[name], measured["one client"])
        ok, note = Target("<=", target).verdict(spread)
        print(f"{name} / one client: {spread.format()}  target <= {target}x: "
              f"{'met' if ok else 'MISSED'} {note}")  # fmt: skip
    assert _logging.redact(kept.bearer_token) == _logging.REDACTED


if __name__ == "__main__":
    main()
