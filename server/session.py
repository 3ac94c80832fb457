"""The language server's state: open documents, their analyses, settings and the duplicate index.

Everything here is plain Python over the analyzers, with no LSP types, so it is testable without a
server. Handlers that mutate state (open, change, close, reconfigure) run on the server's event
loop one at a time; readers (diagnostics) read the state as the last mutation left it.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlparse

from accord.analyzers.duplication import DuplicateIndex, FileFingerprint, fingerprint
from accord.analyzers.duplication.fingerprint import refingerprint
from accord.analyzers.engine import DocumentAnalysis, carry_over
from accord.analyzers.findings import Finding
from accord.analyzers.languages import LanguageSpec, language_for
from accord.analyzers.positions import Encoding, LineIndex
from accord.analyzers.rules import DUPLICATION, TEXT_RULE
from accord.analyzers.rules.secrets import check_text
from accord.analyzers.source import ByteEdit, Reparsed, SourceDocument
from accord.analyzers.suppression import may_hold_marker, unsuppressed
from accord.config import ConfigError, LoadedSettings, Settings, file_layers, find_root, resolve

__all__ = ["Change", "OpenDocument", "Session", "path_of"]

logger = logging.getLogger(__name__)

Position = tuple[int, int]

# CPU seconds an edit's whole parse may take before it is cut short and its findings published
# provisionally (until edits pause): tree-sitter's error recovery for a bracket left open in a
# large file takes 100 ms to seconds, where an edit's whole parse otherwise takes a few.
WHOLE_PARSE_BUDGET = 0.005


@dataclass(frozen=True, slots=True)
class Change:
    """One change from the editor: a range replaced by text, or (no range) the whole text."""

    text: str
    start: Position | None = None
    end: Position | None = None


@dataclass(slots=True)
class OpenDocument:
    """An open document: its text, and its tree and analysis unless it is not analysed."""

    uri: str
    path: str | None
    version: int
    spec: LanguageSpec | None
    # The text of a document that is not analysed (unknown language, binary, too large).
    raw: bytes = b""
    source: SourceDocument | None = None
    analysis: DocumentAnalysis | None = None
    # Why the document is not analysed; None when it is or its language is unknown.
    skipped: str | None = None
    # A document of no supported language, read as text for secrets (ACC003): its findings
    # and lines, None when it is not read.
    text_findings: list[Finding] = field(default_factory=list)
    text_lines: LineIndex | None = None
    # Whether the text may hold a suppression comment (``accord: ignore``): false saves reading
    # the line of each finding after each edit.
    marked: bool = True

    @property
    def data(self) -> bytes:
        return self.source.data if self.source is not None else self.raw

    @property
    def lines(self) -> LineIndex | None:
        """The lines of an analysed document, or of one read as text; None otherwise."""
        return self.source.lines if self.source is not None else self.text_lines


@dataclass
class Session:
    """All the language server knows between requests."""

    root: Path | None = None
    encoding: Encoding = "utf-16"
    # An edit's whole-parse budget (seconds); None waits for every parse (exact at each edit).
    parse_budget: float | None = WHOLE_PARSE_BUDGET
    documents: dict[str, OpenDocument] = field(default_factory=dict)
    duplicates: DuplicateIndex = field(default_factory=DuplicateIndex)
    # Documents edited since their duplicates were last looked up (see refresh_duplicates).
    stale_duplicates: set[str] = field(default_factory=set)
    # Each document's ACC002 findings as last looked up, carried through later edits.
    _duplicate_findings: dict[str, list[Finding]] = field(default_factory=dict)
    # Each document's last fingerprint, with what changed in it since (see _Printed).
    _prints: dict[str, _Printed] = field(default_factory=dict)
    # Options from the editor (workspace/configuration, section "accord"), above the files.
    client_options: Mapping[str, Any] = field(default_factory=dict)
    # Settings per project root, resolved from that root's files plus the client options.
    _settings: dict[Path, LoadedSettings] = field(default_factory=dict)
    # The project root of each document path (the folder holding its config files).
    _roots: dict[str, Path] = field(default_factory=dict)

    def settings_for(self, path: str | None) -> LoadedSettings:
        """The settings that apply to ``path`` (the workspace root's when it has no path)."""
        root = self.root_of(path)
        if root not in self._settings:
            layers, errors = file_layers(root)
            loaded = resolve([*layers, ("editor settings", self.client_options)])
            self._settings[root] = LoadedSettings(
                loaded.settings, (*errors, *loaded.errors), loaded.sources
            )
        return self._settings[root]

    def root_of(self, path: str | None) -> Path:
        """The project root (config files or VCS) of ``path``; the workspace root without one."""
        if path is None:
            return self.root or Path.cwd()
        if path not in self._roots:
            self._roots[path] = find_root(Path(path))
        return self._roots[path]

    def configure(self, client_options: Mapping[str, Any]) -> tuple[ConfigError, ...]:
        """Take new editor options, re-read the config files and re-analyse every document.

        Returns the errors found in any settings source (those sources are left out).
        """
        self.client_options = dict(client_options)
        self._settings.clear()
        self._roots.clear()
        duplication = self.settings_for(None).settings.duplication
        self.duplicates = DuplicateIndex(
            duplication.min_lines, duplication.min_tokens, duplication.declarative_tables
        )
        self.stale_duplicates.clear()
        self._duplicate_findings.clear()
        errors: list[ConfigError] = []
        for document in list(self.documents.values()):
            errors.extend(self.settings_for(document.path).errors)
            self._analyse(document, document.data)
        if not self.documents:
            errors.extend(self.settings_for(None).errors)
        return tuple(dict.fromkeys(errors))

    def open(self, uri: str, language_id: str | None, text: str, version: int) -> set[str]:
        """Start tracking a document; returns the URIs whose findings changed."""
        path = path_of(uri)
        document = OpenDocument(uri, path, version, language_for(language_id, path))
        self.documents[uri] = document
        return self._analyse(document, text.encode("utf-8", errors="surrogatepass"))

    def change(self, uri: str, version: int, changes: Sequence[Change]) -> set[str]:
        """Apply the editor's changes in order; returns the URIs whose findings changed.

        Positions out of range are clamped to the line and to the document, as editors do.
        """
        document = self.documents.get(uri)
        if document is None:
            logger.warning("didChange for %s, which is not open: ignored", uri)
            return set()
        document.version = version
        source = document.source
        if source is None or document.analysis is None:
            return self._analyse(document, _apply_plain(document.data, changes, self.encoding))
        edits = []
        for change in changes:
            edit = self._edit(source, change)
            marked = document.marked or may_hold_marker(source.data, edit.start, edit.new_end)
            document.marked = marked
            edits.append(edit)
        reparsed = source.reparse()
        if _skip_reason(source.data, self.settings_for(document.path).settings):
            return self._analyse(document, source.data)
        self._update(document, edits, reparsed)
        found = self._duplicate_findings.get(uri, [])
        for edit in edits:
            found = carry_over(found, edit)
        self._duplicate_findings[uri] = found
        self.stale_duplicates.add(uri)
        return {uri}

    def settle(self, uri: str, budget: float | None = None) -> set[str] | None:
        """Bring a document's whole syntax tree up to date (edits may have re-parsed only their
        statements, or cut a whole parse short); the language server calls it once edits pause,
        so that reading the tree later (a code action, the next structural edit) costs nothing
        extra. Returns the URIs whose findings changed: the document's, where a parse was cut
        short and its findings were provisional until now. None where the parse ran past
        ``budget`` seconds: the next call goes on with it."""
        document = self.documents.get(uri)
        if document is None or document.source is None or document.analysis is None:
            return set()
        unchecked = document.source.take_unchecked(budget)
        if not unchecked:
            return None if unchecked is None else set()
        self._update(document, [], Reparsed(unchecked))
        return {uri}

    def _update(
        self, document: OpenDocument, edits: Sequence[ByteEdit], reparsed: Reparsed
    ) -> None:
        """Bring a document's findings, and where kept its fingerprint's marks, up to date after
        ``edits`` and their ``reparsed`` result."""
        source, analysis = document.source, document.analysis
        assert source is not None and analysis is not None
        analysis.update(edits, reparsed)
        if printed := self._prints.get(document.uri):
            printed.note(edits, reparsed.changed, len(source.data), source.lines.line_count)

    def refresh_duplicates(self, uri: str) -> set[str]:
        """Look a document's duplicates up again; returns the URIs whose ACC002 findings changed.

        Duplicates are found across files, so this is deferred while the user types (the
        language server calls it once edits pause); until then the findings move with the edits.
        """
        self.stale_duplicates.discard(uri)
        document = self.documents.get(uri)
        if document is None or document.source is None:
            return set()
        # Where a parse was cut short, what the whole parse changes marks the fingerprint too.
        settled = self.settle(uri) or set()
        return settled | self._index(document)

    def close(self, uri: str) -> set[str]:
        """Stop tracking a document; returns the other URIs whose findings changed."""
        if self.documents.pop(uri, None) is None:
            return set()
        self.stale_duplicates.discard(uri)
        self._duplicate_findings.pop(uri, None)
        self._prints.pop(uri, None)
        return self._relook(self.duplicates.remove(uri)) - {uri}

    def versions(self) -> dict[str, int]:
        """The editor's version of each open document, by path."""
        return {d.path: d.version for d in self.documents.values() if d.path is not None}

    def current_text(self, path: str) -> str | None:
        """The text of ``path`` as the editor has it when open, else on disk; None if absent."""
        for document in self.documents.values():
            if document.path == path:
                return document.data.decode("utf-8", errors="replace")
        try:
            return Path(path).read_text("utf-8", errors="replace")
        except OSError:
            return None

    def findings(self, uri: str) -> list[Finding]:
        """The visible findings of an open document: analysis plus duplicates, less suppressed."""
        document = self.documents.get(uri)
        if document is not None and document.text_lines is not None:
            return unsuppressed(document.text_findings, document.text_lines)
        if document is None or document.analysis is None or document.source is None:
            return []
        found = [*document.analysis.findings, *self._duplicate_findings.get(uri, [])]
        ordered = sorted(found, key=lambda f: (f.start, f.code))
        return unsuppressed(ordered, document.source.lines, document.marked)

    def _edit(self, source: SourceDocument, change: Change) -> ByteEdit:
        new = change.text.encode("utf-8", errors="surrogatepass")
        if change.start is None or change.end is None:
            return source.replace_all(new)
        start = source.lines.offset_at(*change.start, self.encoding)
        end = source.lines.offset_at(*change.end, self.encoding)
        return source.edit(min(start, end), max(start, end), new)

    def _analyse(self, document: OpenDocument, data: bytes) -> set[str]:
        """(Re)build a document's tree and findings from scratch."""
        loaded = self.settings_for(document.path)
        spec = document.spec
        document.skipped = _skip_reason(data, loaded.settings) if spec else None
        document.text_findings, document.text_lines = [], None
        if spec is None or document.skipped:
            document.raw, document.source, document.analysis = data, None, None
            self._duplicate_findings.pop(document.uri, None)
            if spec is None:
                self._read_as_text(document, loaded.settings)
            return {document.uri} | self._relook(self.duplicates.remove(document.uri))
        document.raw = b""
        document.marked = may_hold_marker(data)
        self._prints.pop(document.uri, None)
        document.source = SourceDocument(spec, data, self.parse_budget)
        relative = _relative(document.path, self.root)
        document.analysis = DocumentAnalysis(document.source, loaded.settings, relative)
        return {document.uri} | self._index(document)

    def _read_as_text(self, document: OpenDocument, settings: Settings) -> None:
        """Scan a document of no supported language for secrets, when ACC003 runs for it."""
        data = document.raw
        relative = _relative(document.path, self.root)
        if settings.rule_enabled(TEXT_RULE, relative) and _skip_reason(data, settings) is None:
            document.text_findings = check_text(data, settings)
            document.text_lines = LineIndex(data)

    def _index(self, document: OpenDocument) -> set[str]:
        """Re-fingerprint a document; returns the URIs whose ACC002 findings changed."""
        assert document.source is not None
        settings = self.settings_for(document.path).settings
        if settings.rule_enabled(DUPLICATION, _relative(document.path, self.root)):
            touched = self.duplicates.update(document.uri, self._fingerprint(document))
        else:
            touched = self.duplicates.remove(document.uri)
        return self._relook(touched | {document.uri})

    def _fingerprint(self, document: OpenDocument) -> FileFingerprint:
        """The document's fingerprint, recomputed only where it changed since the last one."""
        source = document.source
        assert source is not None
        printed = self._prints.get(document.uri)
        if printed is None or printed.dirty is None:
            current = fingerprint(source) if printed is None else printed.print_
        else:
            current = refingerprint(printed.print_, printed.moved, source, printed.dirty)
        size, rows = len(source.data), source.lines.line_count
        self._prints[document.uri] = _Printed(current, size, rows, None, (size, rows))
        return current

    def _relook(self, uris: set[str]) -> set[str]:
        """Take the index's findings for ``uris``; returns those whose findings changed.

        Documents edited since their last fingerprint keep their carried findings: the index's
        offsets would be stale for them until their own refresh.
        """
        changed = set()
        for uri in uris - self.stale_duplicates:
            if uri not in self.documents:
                continue
            found = self.duplicates.findings(uri)
            if found != self._duplicate_findings.get(uri, []):
                self._duplicate_findings[uri] = found
                changed.add(uri)
        return changed


@dataclass(slots=True)
class _Printed:
    """A document's fingerprint and the size it was taken at, with the span of the current
    text that changed since (None: nothing did)."""

    print_: FileFingerprint
    size: int
    rows: int
    dirty: tuple[int, int] | None = None
    # The current text's size and line count.
    now: tuple[int, int] = (0, 0)

    @property
    def moved(self) -> tuple[int, int]:
        """How far the text after ``dirty`` moved since the fingerprint, in bytes and lines."""
        return self.now[0] - self.size, self.now[1] - self.rows

    def note(
        self, edits: Sequence[ByteEdit], changed: Iterable[tuple[int, int]], size: int, rows: int
    ) -> None:
        """Widen ``dirty`` by ``edits`` and the ranges their reparse ``changed``."""
        spans = [self.dirty] if self.dirty is not None else []
        for edit in edits:
            spans = [(_carry(start, edit), _carry(end, edit)) for start, end in spans]
            spans.append((edit.start, edit.new_end))
        spans.extend(changed)
        self.dirty = min(s for s, _ in spans), max(e for _, e in spans)
        self.now = size, rows


def _carry(offset: int, edit: ByteEdit) -> int:
    """Where ``offset`` lies after ``edit`` (inside the replaced bytes: the replacement's end)."""
    if offset <= edit.start:
        return offset
    if offset >= edit.old_end:
        return offset + edit.delta
    return edit.new_end


def _apply_plain(data: bytes, changes: Iterable[Change], encoding: Encoding) -> bytes:
    """The text of an unanalysed document after ``changes``, kept so it can be analysed later."""
    for change in changes:
        new = change.text.encode("utf-8", errors="surrogatepass")
        if change.start is None or change.end is None:
            data = new
            continue
        lines = LineIndex(data)
        start = lines.offset_at(*change.start, encoding)
        end = lines.offset_at(*change.end, encoding)
        data = data[: min(start, end)] + new + data[max(start, end) :]
    return data


def _skip_reason(data: bytes, settings: Settings) -> str | None:
    if len(data) > settings.max_file_size:
        return (
            f"{len(data) / 1e6:.1f} MB is over max-file-size ({settings.max_file_size / 1e6:g} MB)"
        )
    if b"\x00" in data:
        return "it looks binary (it contains NUL bytes)"
    return None


def _relative(path: str | None, root: Path | None) -> str | None:
    if path is None or root is None:
        return path
    try:
        return Path(path).relative_to(root).as_posix()
    except ValueError:
        return path


def path_of(uri: str) -> str | None:
    """The file-system path of a ``file:`` URI; None for other schemes (untitled:, …)."""
    parsed = urlparse(uri)
    if parsed.scheme != "file":
        return None
    return unquote(parsed.path)
