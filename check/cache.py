"""Each file's result kept between runs, so an unchanged file is not analysed again.

A result is reused when the file's bytes (by SHA-256), its path, the settings, Accord's
version and the analysers' own code are all what they were when it was found; anything else is
a miss and the file is analysed afresh. The analysers' code counts because a development
checkout changes rules without changing the version: its digest is taken over the name, size
and modification time of every file of ``accord.analyzers`` and ``accord.check`` and of
``accord.config`` (a stat per file, no reading). Results live in
``<root>/.accord/cache/<version>/<settings+code digest>``, one file per version, settings and
code (so switching settings back and forth keeps both), like ruff's cache.
The duplication fingerprints sit beside it (``….prints``), read only when ACC002 must be found
again; ACC002's findings are kept for the whole set of files and contents they were found in.
The settings resolved from the project's settings files and ``--config`` are kept too
(``settings-<digest>``, keyed by those options), so an unchanged project is not validated again.

The cache file is a pickle, and unpickling runs code, so a project folder cannot be trusted to
hold one: each file is sealed with an HMAC under a key kept outside every project
(``$XDG_CACHE_HOME/accord/cache-key``, made on first use, readable by its owner only). A file
whose seal does not verify (written elsewhere, by another user, corrupted) is ignored and
replaced. A cache that cannot be read or written never fails a check: the run goes on uncached
and says why once on stderr.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import pickle
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import replace
from functools import cache
from pathlib import Path
from typing import Any

import accord.analyzers
import accord.config
from accord import __version__
from accord.config import LoadedSettings, Settings, resolve, settings_digest

from .model import FileResult, Located

__all__ = [
    "ResultCache",
    "code_digest",
    "content_digest",
    "files_digest",
    "key_path",
    "resolved_settings",
]


def _warn(message: str, *args: object) -> None:
    """Say on stderr (through logging, imported only when there is something to say)."""
    import logging

    logging.getLogger(__name__).warning(message, *args)


CACHE_DIR = Path(".accord") / "cache"
_SEAL = hashlib.sha256().digest_size
_KEY_BYTES = 32
# The files whose change changes what a check finds: code, queries and rule data.
_CODE_SUFFIXES = frozenset({".py", ".scm", ".toml", ".json"})

# A cached result: the digest of the bytes it was found in, and the result.
Entry = tuple[str, FileResult]
# A cached duplication fingerprint: the digest of the bytes, and the fingerprint.
Print = tuple[str, Any]


def content_digest(data: bytes) -> str:
    """The digest that identifies a file's content in the cache."""
    return hashlib.sha256(data).hexdigest()


def files_digest(results: Iterable[FileResult]) -> str:
    """The digest of a set of files and their contents (what ACC002's findings depend on)."""
    pairs = sorted(f"{result.path}\0{result.digest}" for result in results)
    return hashlib.sha256("\n".join(pairs).encode()).hexdigest()


def code_digest(packages: Iterable[Path] | None = None) -> str:
    """The digest of the analysers' code: each file's path, size and modification time.

    ``packages`` are folders (every code file below) or single files; by default the
    analysers, this package and the settings' own module.
    """
    if packages is None:
        return _own_code_digest()
    stamp = hashlib.sha256()
    for package in packages:
        found = sorted(package.rglob("*")) if package.is_dir() else [package]
        for path in found:
            if path.suffix in _CODE_SUFFIXES and "__pycache__" not in path.parts:
                info = path.stat()
                rel = path.relative_to(package).as_posix() if package.is_dir() else ""
                stamp.update(f"{package.name}/{rel}\0{info.st_size}\0{info.st_mtime_ns}\n".encode())
    return stamp.hexdigest()


@cache
def _own_code_digest() -> str:
    """The digest of this process's analysers (taken once: they do not change under it)."""
    own = [*map(Path, accord.analyzers.__path__), Path(__file__).parent]
    return code_digest([*own, Path(accord.config.__file__)])


def resolved_settings(
    root: Path, layers: Sequence[tuple[str, Mapping[str, Any]]], version: str = __version__
) -> LoadedSettings:
    """``resolve(layers)``, from ``root``'s cache when these very layers were resolved before.

    Validating options imports pydantic and builds its validators, which costs more than a
    whole warm run; settings files rarely change between runs. The key is the layers' sources
    and values, Accord's version and the settings' code.
    """
    if not layers:
        return resolve(layers)  # the defaults: nothing to validate
    text = json.dumps([list(layer) for layer in layers], sort_keys=True, default=repr)
    key = hashlib.sha256(f"{text}\0{code_digest()}".encode()).hexdigest()[:16]
    path = root / CACHE_DIR / _safe(version) / f"settings-{key}"
    seal = _load_key()
    known = _read_sealed(path, seal) if seal else None
    if isinstance(known, LoadedSettings):
        return known
    loaded = resolve(layers)
    if seal:
        try:
            _write_sealed(path, seal, loaded)
            _ignore_folder(root / CACHE_DIR)
        except OSError as error:
            _warn("accord check: cannot write the cache %s: %s", path, error)
    return loaded


def key_path() -> Path:
    """Where this user's sealing key lives (outside every project)."""
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "accord" / "cache-key"


class ResultCache:
    """The cached results of one project for one settings and version.

    ``get`` answers from what was loaded; ``put`` records fresh results; ``save`` writes the
    file back when anything was put.
    """

    def __init__(
        self, root: Path, settings: Settings, version: str = __version__, code: str | None = None
    ) -> None:
        code = code_digest() if code is None else code
        key = f"{settings_digest(settings)}\0{code}".encode()
        self.path = root / CACHE_DIR / _safe(version) / hashlib.sha256(key).hexdigest()[:16]
        self._key = _load_key()
        loaded = self._load(self.path) if self._key else None
        entries, duplicates = (
            loaded if isinstance(loaded, tuple) and len(loaded) == 2 else ({}, None)
        )
        self._entries: dict[str, Entry] = entries
        # ACC002's findings and the files_digest they were found for.
        self._duplicates: tuple[str, tuple[Located, ...]] | None = duplicates
        # Fingerprints by path; None until first needed.
        self._prints: dict[str, Print] | None = None
        self._dirty = False
        # How many results ``get`` answered, since the cache was opened.
        self.hits = 0

    def get(self, rel: str, digest: str) -> FileResult | None:
        """The result of ``rel`` when its content had ``digest``; None on a miss."""
        entry = self._entries.get(rel)
        if entry is None or entry[0] != digest:
            return None
        self.hits += 1
        return entry[1]

    def put(self, result: FileResult, digest: str) -> None:
        """Remember ``result``, found in content with ``digest``."""
        self._entries[result.path] = (digest, replace(result, fingerprint=None))
        self._load_prints()[result.path] = (digest, result.fingerprint)
        self._dirty = True

    def fingerprint(self, rel: str, digest: str) -> Any:
        """The duplication fingerprint of ``rel`` with content ``digest``; None on a miss."""
        entry = self._load_prints().get(rel)
        return entry[1] if entry is not None and entry[0] == digest else None

    def duplicates(self, files: str) -> tuple[Located, ...] | None:
        """ACC002's findings for the files and contents ``files`` (a ``files_digest``)."""
        if self._duplicates is not None and self._duplicates[0] == files:
            return self._duplicates[1]
        return None

    def put_duplicates(self, files: str, found: Iterable[Located]) -> None:
        """Remember ACC002's findings for ``files`` (a ``files_digest``)."""
        self._duplicates = (files, tuple(found))
        self._dirty = True

    def save(self, present: set[str]) -> None:
        """Write the results back, less those of files not in ``present`` that no longer exist."""
        if not self._dirty or self._key is None:
            return
        root = self.path.parents[3]
        kept = {
            rel: entry
            for rel, entry in self._entries.items()
            if rel in present or (root / rel).exists()
        }
        prints = {rel: entry for rel, entry in self._load_prints().items() if rel in kept}
        try:
            self._write(self.path, (kept, self._duplicates))
            self._write(self._prints_path, prints)
            _ignore_folder(root / CACHE_DIR)
        except OSError as error:
            _warn("accord check: cannot write the cache %s: %s", self.path, error)

    @property
    def _prints_path(self) -> Path:
        return self.path.with_name(self.path.name + ".prints")

    def _load_prints(self) -> dict[str, Print]:
        if self._prints is None:
            loaded = self._load(self._prints_path) if self._key else None
            self._prints = loaded if isinstance(loaded, dict) else {}
        return self._prints

    def _write(self, path: Path, value: object) -> None:
        assert self._key is not None
        _write_sealed(path, self._key, value)

    def _load(self, path: Path) -> object:
        assert self._key is not None
        return _read_sealed(path, self._key)


def _write_sealed(path: Path, key: bytes, value: object) -> None:
    body = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
    _write_atomically(path, _seal(key, body) + body)


def _read_sealed(path: Path, key: bytes) -> object:
    """What ``path`` holds if this user's ``key`` sealed it; None otherwise (never unpickled)."""
    try:
        sealed = path.read_bytes()
    except FileNotFoundError:
        return None
    except OSError as error:
        _warn("accord check: cannot read the cache %s: %s", path, error)
        return None
    seal, body = sealed[:_SEAL], sealed[_SEAL:]
    if not hmac.compare_digest(seal, _seal(key, body)):
        return None
    return pickle.loads(body)


def _seal(key: bytes, body: bytes) -> bytes:
    return hmac.new(key, body, hashlib.sha256).digest()


def _load_key() -> bytes | None:
    """This user's sealing key, made on first use; None (no caching) when it cannot be."""
    path = key_path()
    try:
        key = path.read_bytes()
        if len(key) == _KEY_BYTES:
            return key
    except FileNotFoundError:
        pass
    except OSError as error:
        _warn("accord check: cannot read the cache key %s: %s", path, error)
        return None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        key = os.urandom(_KEY_BYTES)
        _write_atomically(path, key, mode=0o600)
        return key
    except OSError as error:
        _warn("accord check: cannot make the cache key %s: %s", path, error)
        return None


def _write_atomically(path: Path, data: bytes, mode: int = 0o644) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    import tempfile  # only when writing

    descriptor, temporary = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
    try:
        with os.fdopen(descriptor, "wb") as stream:
            stream.write(data)
        os.chmod(temporary, mode)
        os.replace(temporary, path)
    except BaseException:
        os.unlink(temporary)
        raise


def _ignore_folder(folder: Path) -> None:
    """Keep the cache out of version control, as ruff does for its own."""
    ignore = folder / ".gitignore"
    if not ignore.exists():
        ignore.write_text("# Made by accord check.\n*\n", "utf-8")


def _safe(version: str) -> str:
    return "".join(c if c.isalnum() or c in ".-+" else "_" for c in version)
