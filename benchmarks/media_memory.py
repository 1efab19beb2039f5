"""Peak memory of a chunked DM media upload, as a multiple of the chunk size.

Uploads a generated 30 MB video in 4 MB chunks with ``tweepy_dm.Client`` to a
DM emulator (X's v2 upload endpoints) running in another process, and prints
the client's peak memory above its baseline (Python allocations, traced with
tracemalloc) divided by the chunk size. Target: at
most 3x. Run from the repository root::

    python benchmarks/media_memory.py
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
import tracemalloc

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)

SERVER = """
import json, sys
sys.path.insert(0, {root!r})
from tweepy_dm.emulator import DMEmulator
with DMEmulator() as emulator:
    credentials = emulator.add_user(1, "bench", "Bench")
    del credentials["bearer_token"]
    print(emulator.url, json.dumps(credentials), flush=True)
    sys.stdin.read()  # serve until the parent closes our stdin
"""
MB = 1024 * 1024


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size-mb", type=int, default=30)
    parser.add_argument("--chunk-mb", type=int, default=4)
    args = parser.parse_args()

    import tweepy_dm

    chunk = args.chunk_mb * MB
    with tempfile.TemporaryDirectory() as folder:
        path = os.path.join(folder, "video.mp4")
        with open(path, "wb") as video:
            video.write(b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom")
            for _ in range(args.size_mb):
                video.write(os.urandom(MB))
        size = os.path.getsize(path)

        server = subprocess.Popen(
            [sys.executable, "-c", SERVER.format(root=ROOT)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        try:
            url, credentials = server.stdout.readline().split(" ", 1)
            client = tweepy_dm.Client(**json.loads(credentials), api_url=url)
            tracemalloc.start()
            baseline, _ = tracemalloc.get_traced_memory()
            started = time.perf_counter()
            media = client.upload_dm_media(path, chunk_size=chunk)
            elapsed = time.perf_counter() - started
            _, peak = tracemalloc.get_traced_memory()
            tracemalloc.stop()
        finally:
            server.stdin.close()
            server.wait(timeout=10)

    ratio = (peak - baseline) / chunk
    print(f"uploaded {size / MB:.1f} MB as media {media.id} in {elapsed:.2f} s")
    print(f"chunk size:              {chunk / MB:.1f} MB")
    print(f"peak above baseline:     {(peak - baseline) / MB:.2f} MB")
    print(f"peak / chunk size:       {ratio:.2f}x (target <= 3x)")
    return 0 if ratio <= 3 else 1


if __name__ == "__main__":
    sys.exit(main())
