"""An organisation's audit chain as a file anyone can verify offline (pure: text in, text out).

JSON Lines: the first line is the header — the organisation, its public keys and the signed
checkpoint the export ends at — and every other line is one event's sealed canonical body,
byte for byte, so each line's SHA-256 is that event's hash. CSV: one row per event with the same
body in its ``body`` column; the header goes beside it in ``FILE.checkpoint.json``.

:func:`verify_export` recomputes the chain from the bodies, checks that it ends exactly at the
checkpoint, and that the checkpoint is signed by a key the organisation's first key endorses
(``org_key``: that first key's id, given out of band, as ``accord login --org-key`` takes it).
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from accord.audit.chain import Head, StoredRow, digest, verify
from accord.protocol.org import AuditCheckpoint, OrgKeys

from .checkpoints import from_wire
from .security_commands import keys_to_pin
from .signing import checkpoint_valid, unb64

__all__ = [
    "CSV_COLUMNS",
    "ExportHeader",
    "ExportReport",
    "csv_rows",
    "header_line",
    "read_csv",
    "read_jsonl",
    "verify_export",
]

FORMAT = 1
CSV_COLUMNS = ("seq", "ts", "type", "actor", "project", "hash", "prev_hash", "body")


@dataclass(frozen=True, slots=True)
class ExportHeader:
    org_id: str
    checkpoint: AuditCheckpoint
    keys: OrgKeys


@dataclass(frozen=True, slots=True)
class ExportReport:
    count: int
    checkpoint: AuditCheckpoint | None
    findings: tuple[str, ...]


def header_line(header: ExportHeader) -> str:
    return json.dumps(
        {
            "accord_audit_export": FORMAT,
            "org_id": header.org_id,
            "checkpoint": header.checkpoint.model_dump(mode="json"),
            "keys": header.keys.model_dump(mode="json"),
        },
        sort_keys=True,
    )


def parse_header(text: str) -> ExportHeader:
    """The header's fields; raises ValueError when ``text`` is not an export header."""
    try:
        raw = json.loads(text)
        if raw.get("accord_audit_export") != FORMAT:
            raise ValueError("not an Accord audit export (no accord_audit_export: 1 header)")
        return ExportHeader(
            str(raw["org_id"]),
            AuditCheckpoint.model_validate(raw["checkpoint"]),
            OrgKeys.model_validate(raw["keys"]),
        )
    except (AttributeError, KeyError, TypeError, json.JSONDecodeError) as error:
        raise ValueError(f"not an Accord audit export header: {error}") from None


def csv_rows(bodies: Iterable[str], rows: int = 2000) -> Iterator[str]:
    """The CSV text of the events' sealed bodies, header row first, ``rows`` events a chunk."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for count, body in enumerate(bodies, 1):
        event = json.loads(body)
        writer.writerow(
            (
                event["seq"],
                event["ts"],
                event["type"],
                event["actor"],
                event["project"],
                digest(body),
                event["prev_hash"],
                body,
            )
        )
        if count % rows == 0:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()


def read_jsonl(text: str) -> tuple[ExportHeader, list[str]]:
    lines = text.splitlines()
    if not lines:
        raise ValueError("the export is empty")
    return parse_header(lines[0]), lines[1:]


def read_csv(text: str, header_text: str) -> tuple[ExportHeader, list[str]]:
    reader = csv.DictReader(io.StringIO(text))
    if tuple(reader.fieldnames or ()) != CSV_COLUMNS:
        raise ValueError(f"the CSV's columns are not {', '.join(CSV_COLUMNS)}")
    return parse_header(header_text), [row["body"] for row in reader]


def _row(index: int, body: str) -> StoredRow:
    try:
        event = json.loads(body)
        return StoredRow(int(event["seq"]), digest(body), str(event["prev_hash"]), body)
    except (KeyError, TypeError, ValueError):
        raise ValueError(f"event line {index + 1} is not an audit event") from None


def verify_export(header: ExportHeader, bodies: list[str], org_key: str | None) -> ExportReport:
    """Check the exported chain link by link, against its signed checkpoint, and the
    checkpoint's signature against the organisation's endorsed keys."""
    rows = [_row(i, body) for i, body in enumerate(bodies)]
    checkpoint = header.checkpoint
    findings = [str(f) for f in verify(rows, Head(checkpoint.seq, checkpoint.hash))]
    try:
        trusted = keys_to_pin(header.keys, org_key)
    except ValueError as error:
        findings.append(f"keys: {error}")
        trusted = {}
    keys = {key_id: unb64(public) for key_id, public in trusted.items()}
    if header.keys.org_id != header.org_id or checkpoint.org_id != header.org_id:
        findings.append("the header's organisation ids disagree")
    if not checkpoint_valid(header.org_id, keys, from_wire(checkpoint)):
        findings.append(
            f"the checkpoint of seq {checkpoint.seq} is not signed with a key of the organisation"
        )
    return ExportReport(len(rows), checkpoint, tuple(findings))
