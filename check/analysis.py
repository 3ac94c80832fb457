"""One file's analysis: read it safely, run the rules, place the findings in lines and columns.

Nothing here touches shared state, so ``analyse`` runs as well in a worker process as in the
calling one. A file that cannot be analysed (over ``max-file-size``, binary, not UTF-8 nor in
a declared Python source encoding, unreadable) yields a reason instead of findings; the size
is checked before anything is read.
"""

from __future__ import annotations

import hashlib
import io
import tokenize
from collections import Counter
from collections.abc import Iterable
from pathlib import Path

from accord.analyzers.duplication import FileFingerprint, fingerprint
from accord.analyzers.engine import DocumentAnalysis
from accord.analyzers.findings import Finding, Related
from accord.analyzers.languages import language_for
from accord.analyzers.positions import LineIndex
from accord.analyzers.rules import DUPLICATION, TEXT_RULE, all_rules
from accord.analyzers.rules.secrets import check_text
from accord.analyzers.source import SourceDocument
from accord.analyzers.suppression import unsuppressed
from accord.config import Settings

from .cache import content_digest
from .model import FileResult, Located, RelatedLines, Span

__all__ = ["analyse", "human_size", "locate", "read_source"]


def analyse(path: Path, rel: str, settings: Settings) -> FileResult:
    """The findings of the chunk and file rules on one file, or why it was skipped."""
    spec = language_for(path=path.name)
    if spec is None:
        return _analyse_text(path, rel, settings)
    data, problem = read_source(path, settings.max_file_size)
    if data is None:
        return FileResult(rel, skipped=problem)
    document = SourceDocument(spec, data)
    findings = DocumentAnalysis(document, settings, rel, incremental=False).findings
    located = locate(rel, unsuppressed(findings, document.lines), document.lines, settings)
    fingerprint = _fingerprint(document, settings)
    return FileResult(rel, tuple(located), fingerprint=fingerprint, digest=content_digest(data))


def _analyse_text(path: Path, rel: str, settings: Settings) -> FileResult:
    """A file of no supported language, scanned as text for secrets (ACC003) alone."""
    if not settings.rule_enabled(TEXT_RULE, rel):
        return FileResult(rel, skipped="not a supported language")
    data, problem = read_source(path, settings.max_file_size, require_utf8=False)
    if data is None:
        return FileResult(rel, skipped=problem)
    lines = LineIndex(data)
    found = unsuppressed(check_text(data, settings), lines)
    return FileResult(rel, tuple(locate(rel, found, lines, settings)))


def _fingerprint(document: SourceDocument, settings: Settings) -> FileFingerprint | None:
    if not settings.rule_enabled(DUPLICATION):
        return None
    return fingerprint(document)


def read_source(path: Path, max_size: int, require_utf8: bool = True) -> tuple[bytes | None, str]:
    """The file's bytes if it is analysable text (UTF-8 unless ``require_utf8`` is false);
    otherwise None and the reason."""
    try:
        size = path.stat().st_size
        if size > max_size:
            return None, f"{human_size(size)} is over max-file-size ({human_size(max_size)})"
        data = path.read_bytes()
    except OSError as error:
        return None, f"cannot be read ({error.strerror or error})"
    if b"\0" in data:
        return None, "binary file (it contains NUL bytes)"
    if not require_utf8:
        return data, ""
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as error:
        declared = _declared(path, data)
        if declared is not None:
            return declared, ""
        line = data.count(b"\n", 0, error.start) + 1
        return None, f"not UTF-8 (byte 0x{data[error.start]:02x} on line {line})"
    return data, ""


def _declared(path: Path, data: bytes) -> bytes | None:
    """A Python file in the encoding its first lines declare (``# -*- coding: latin-1 -*-``,
    PEP 263), as UTF-8; None without a declaration or when the bytes do not fit it."""
    if path.suffix not in (".py", ".pyi", ".pyw"):
        return None
    try:
        encoding, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
        if encoding in ("utf-8", "utf-8-sig"):
            return None
        return data.decode(encoding).encode("utf-8")
    except (SyntaxError, LookupError, UnicodeDecodeError):
        return None


def human_size(size: int) -> str:
    """``52428800`` → ``"52.4 MB"``; decimal units, one decimal at most."""
    for unit, scale in (("GB", 10**9), ("MB", 10**6), ("kB", 10**3)):
        if size >= scale:
            return f"{size / scale:.1f}".removesuffix(".0") + f" {unit}"
    return f"{size} bytes"


def locate(
    rel: str, findings: Iterable[Finding], lines: LineIndex, settings: Settings
) -> list[Located]:
    """``findings`` of the file ``rel`` in 1-based lines and character columns.

    Each gets its configured severity and a fingerprint that survives edits elsewhere in the
    file (rule, file, the text of its first line, and its rank among identical ones).
    """
    rules = all_rules()
    seen: Counter[str] = Counter()
    located: list[Located] = []
    for finding in findings:
        span = _span(finding, lines)
        default = rules[finding.code].default_severity
        key = _line_key(rel, finding.code, lines.line_bytes(span.line - 1))
        seen[key] += 1
        located.append(
            Located(
                rel,
                finding.code,
                settings.severity_of(finding.code, default),
                finding.message,
                span,
                f"{key}:{seen[key]}",
                finding.value,
                tuple(map(_related, finding.related)),
            )
        )
    return located


def _span(finding: Finding, lines: LineIndex) -> Span:
    line, column = lines.position(finding.start, "utf-32")
    end_line, end_column = lines.position(max(finding.start, finding.end), "utf-32")
    return Span(line + 1, column + 1, end_line + 1, end_column + 1)


def _related(related: Related) -> RelatedLines:
    return RelatedLines(related.path, related.start_row + 1, related.end_row + 1, related.message)


def _line_key(rel: str, code: str, line: bytes) -> str:
    text = b" ".join(line.split())
    return hashlib.sha256(b"\0".join((code.encode(), rel.encode(), text))).hexdigest()[:16]
