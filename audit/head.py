"""The head file, ``<root>/.accord/audit.head``: the seq and hash of the last event appended, and
(when the writer holds a key) an HMAC-SHA256 checkpoint over them.

The file is replaced atomically (temporary file, fsync, rename); it is written only by
:class:`accord.audit.store.AuditStore` while it holds the database's write lock.
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

from accord.audit.chain import Head
from accord.audit.exceptions import StoreError

__all__ = ["head_text", "put_head_back", "read_head", "write_head"]


def head_text(path: Path) -> str | None:
    """The head file's text as it is now (to put back if an append fails); None if absent."""
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    except OSError as error:
        raise StoreError(f"{path}: cannot read the head ({error.strerror})") from None


def put_head_back(path: Path, text: str | None) -> None:
    """Undo a head write whose transaction did not commit."""
    if text is None:
        path.unlink(missing_ok=True)
    else:
        _replace(path, text)


def write_head(path: Path, head: Head) -> None:
    """Anchor ``head`` (with its checkpoint MAC, if it has one)."""
    fields: dict[str, object] = {"seq": head.seq, "hash": head.hash}
    if head.mac is not None:
        fields["mac"] = head.mac
    _replace(path, json.dumps(fields))


def _replace(path: Path, text: str) -> None:
    """Replace ``path`` atomically (write a temporary file, fsync, rename)."""
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".audit.head.")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            stream.write(text)
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temporary, path)
    except OSError as error:
        Path(temporary).unlink(missing_ok=True)
        raise StoreError(f"{path}: cannot write the head ({error.strerror})") from None


def read_head(path: Path) -> Head | None:
    """The anchored head in ``path``; None when there is no file. Raises StoreError if malformed."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    except (OSError, ValueError) as error:
        raise StoreError(f"{path}: unreadable head ({error})") from None
    shape = "{'seq': int, 'hash': str, 'mac'?: str}"
    if not isinstance(data, dict):
        raise StoreError(f"{path}: the head is not {shape}")
    seq, hash_, mac = data.get("seq"), data.get("hash"), data.get("mac")
    if not isinstance(seq, int) or not isinstance(hash_, str) or not isinstance(mac, str | None):
        raise StoreError(f"{path}: the head is not {shape}")
    return Head(seq, hash_, mac)
