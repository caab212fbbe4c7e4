"""The landing folders as ingest sees them: which files a unit dropped, which are still being written,
which would lead outside the landing root, and a file's bytes once it has stopped changing."""

from __future__ import annotations

import fnmatch
import time
from pathlib import Path

# Office and copy tools leave these while a file is open or still arriving.
IN_PROGRESS = ("~$*", ".~lock.*", "*.tmp", "*.part", "*.partial", "*.crdownload", "*.download", "*.filepart")


def list_drops(folder: Path) -> list[Path]:
    """Every file a unit dropped in the folder (subfolders too), less READMEs and templates (names
    starting with '_' or '.', except the lock files that say a file is still open). Symbolic links are
    listed, never followed into folders: `outside_root` tells which of them must not be read."""
    if not folder.is_dir():
        return []
    found = []
    for path in sorted(folder.rglob("*")):
        if not (path.is_symlink() or path.is_file()) or path.name.lower().startswith("readme"):
            continue
        if any((folder / p).is_symlink() for p in path.relative_to(folder).parents[:-1]):
            continue  # inside a linked folder: the link itself is listed (and refused)
        if in_progress(path) or not path.name.startswith(("_", ".")):
            found.append(path)
    return found


def outside_root(path: Path, root: Path) -> bool:
    """Whether reading `path` would leave the landing root: a symbolic link (wherever it points), or a
    file whose resolved path is not under `root`."""
    return path.is_symlink() or not path.resolve().is_relative_to(root.resolve())


def in_progress(path: Path) -> bool:
    return any(fnmatch.fnmatch(path.name.lower(), p) for p in IN_PROGRESS)


def read_settled(path: Path, settle: float) -> bytes | None:
    """The file's bytes once it has stopped changing, or None if it changed while we waited or read."""
    first = path.stat()
    age = time.time() - first.st_mtime
    if age < settle:
        time.sleep(settle - age)
    before = path.stat()
    data = path.read_bytes()
    after = path.stat()
    stamps = {(s.st_size, s.st_mtime_ns) for s in (first, before, after)}
    return data if len(stamps) == 1 and len(data) == after.st_size else None
