"""One process at a time per file: an operating-system lock on a lock file beside it.

The lock is the kernel's (``flock`` on POSIX, ``msvcrt.locking`` on Windows),
so it ends with the process that holds it, even one killed with ``kill -9``:
a lock file left behind never blocks anyone. On POSIX the holder removes the
file when it is done; on Windows the file stays (an open file cannot be
removed there), which is harmless. Elsewhere (neither ``fcntl`` nor
``msvcrt``) nothing is locked.
"""

from __future__ import annotations

import contextlib
import errno
import os
from collections.abc import Iterator

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]
try:
    import msvcrt
except ImportError:  # POSIX
    msvcrt = None  # type: ignore[assignment]

_BUSY = {errno.EACCES, errno.EAGAIN, errno.EWOULDBLOCK, errno.EDEADLK}


class Busy(Exception):
    """Another process holds the lock."""


def _lock_posix(path: str) -> int:
    while True:
        descriptor = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as error:
            os.close(descriptor)
            if error.errno in _BUSY:
                raise Busy(path) from None
            raise
        # The previous holder may have removed the file between our open and
        # our lock: then we hold a lock on a file no one else will open.
        try:
            if os.path.samestat(os.fstat(descriptor), os.stat(path)):
                return descriptor
        except FileNotFoundError:
            pass
        os.close(descriptor)


def _lock_windows(path: str) -> int:  # pragma: no cover - Windows
    descriptor = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        msvcrt.locking(descriptor, msvcrt.LK_NBLCK, 1)
    except OSError:
        os.close(descriptor)
        raise Busy(path) from None
    return descriptor


@contextlib.contextmanager
def locked(path: str) -> Iterator[None]:
    """Hold the lock on ``path`` (created if need be), or raise :class:`Busy` at once."""
    if fcntl is not None:
        descriptor = _lock_posix(path)
        try:
            yield
        finally:
            # Removed while still locked, so a process that opens it meanwhile
            # notices (see _lock_posix) instead of locking a removed file.
            with contextlib.suppress(OSError):
                os.unlink(path)
            os.close(descriptor)
    elif msvcrt is not None:  # pragma: no cover - Windows
        descriptor = _lock_windows(path)
        try:
            yield
        finally:
            msvcrt.locking(descriptor, msvcrt.LK_UNLCK, 1)
            os.close(descriptor)
    else:  # pragma: no cover - neither POSIX nor Windows
        yield
