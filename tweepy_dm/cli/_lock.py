"""One process at a time per file: an operating-system lock on a lock file beside it.

The lock is the kernel's (``flock`` on POSIX, ``msvcrt.locking`` on Windows),
so it ends with the process that holds it, even one killed with ``kill -9``:
a lock file left behind never blocks anyone. On POSIX the holder removes the
file when it is done; on Windows the file stays (an open file cannot be
removed there), which is harmless.
"""

from __future__ import annotations

import contextlib
import errno
import os
import sys
from collections.abc import Iterator


class Busy(Exception):
    """Another process holds the lock."""


if sys.platform == "win32":  # pragma: no cover - Windows
    import msvcrt

    def _acquire(path: str) -> int:
        descriptor = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            msvcrt.locking(descriptor, msvcrt.LK_NBLCK, 1)
        except OSError:
            os.close(descriptor)
            raise Busy(path) from None
        return descriptor

    def _release(path: str, descriptor: int) -> None:
        msvcrt.locking(descriptor, msvcrt.LK_UNLCK, 1)
        os.close(descriptor)

else:
    import fcntl

    _BUSY = {errno.EACCES, errno.EAGAIN, errno.EWOULDBLOCK}

    def _acquire(path: str) -> int:
        while True:
            descriptor = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
            try:
                fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError as error:
                os.close(descriptor)
                if error.errno in _BUSY:
                    raise Busy(path) from None
                raise
            # The previous holder may have removed the file between our open
            # and our lock: then we would hold a lock no one else can see.
            try:
                if os.path.samestat(os.fstat(descriptor), os.stat(path)):
                    return descriptor
            except FileNotFoundError:
                pass
            os.close(descriptor)

    def _release(path: str, descriptor: int) -> None:
        # Removed while still locked, so that a process that opened it
        # meanwhile notices (see _acquire) instead of locking a removed file.
        with contextlib.suppress(OSError):
            os.unlink(path)
        os.close(descriptor)


@contextlib.contextmanager
def locked(path: str) -> Iterator[None]:
    """Hold the lock on ``path`` (created if need be), or raise :class:`Busy` at once."""
    descriptor = _acquire(path)
    try:
        yield
    finally:
        _release(path, descriptor)
