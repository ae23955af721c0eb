"""Files that hold personal data or logs: created mode 600 in folders mode 700.

The config folder (accounts, sessions, the sign-in and access logs, the secret key), the database
and its folder, the demo's input files (full NIKs) and error logs go through here, so a second
account on the same machine reads none of them. The mode is given when a file is created (never
a world-readable moment before a chmod), and ``secure_process()`` sets the process umask to 077
for everything else a load or the dashboard writes (DuckDB's own files, temporary copies).
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

FILE_MODE = 0o600
DIR_MODE = 0o700


def secure_process() -> None:
    """New files and folders of this process are private to its user (umask 077)."""
    os.umask(0o077)


def private_dir(path: str | os.PathLike) -> Path:
    """Create the folder (and missing parents) mode 700; an existing folder is made 700 too
    when it belongs to us."""
    path = Path(path)
    path.mkdir(mode=DIR_MODE, parents=True, exist_ok=True)
    try:
        if path.stat().st_uid == os.getuid() and path.stat().st_mode & 0o077:
            path.chmod(DIR_MODE)
    except OSError:  # a folder we may use but not change (e.g. /tmp): leave it
        pass
    return path


def write_private(path: str | os.PathLike, content: str | bytes) -> Path:
    """Replace the file atomically with content, mode 600."""
    path = Path(path)
    private_dir(path.parent)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        os.fchmod(fd, FILE_MODE)
        with os.fdopen(fd, "wb") as fh:
            fh.write(content.encode("utf-8") if isinstance(content, str) else content)
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    return path


def append_private(path: str | os.PathLike, text: str) -> Path:
    """Append a line (or lines) of text to a log file created mode 600."""
    path = Path(path)
    private_dir(path.parent)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, FILE_MODE)
    with os.fdopen(fd, "a", encoding="utf-8") as fh:
        fh.write(text)
    return path


def make_private(path: str | os.PathLike) -> None:
    """Mode 600 for an existing file written by a library (DuckDB, a CSV writer)."""
    try:
        os.chmod(path, FILE_MODE)
    except FileNotFoundError:
        pass
