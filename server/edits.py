"""A Proposal as an LSP WorkspaceEdit, in the client's position encoding.

Proposals count columns in code points; LSP counts them in the negotiated encoding (UTF-16 by
default). New files become ``CreateFile`` operations followed by their text when the client
supports resource operations, and a plain ``changes`` map otherwise (the file is then written by
an edit to a URI the client creates on the fly, as most editors do).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

from lsprotocol import types

from accord.analyzers.positions import Encoding, units
from accord.protocol import FileEdit, Position, Proposal, TextEdit

__all__ = ["ReadText", "to_workspace_edit"]

# The current text of a file (the editor's copy when it is open), or None when it does not exist.
ReadText = Callable[[str], str | None]

ANNOTATION = "accord"


def to_workspace_edit(
    proposal: Proposal,
    read_text: ReadText,
    encoding: Encoding,
    document_changes: bool,
    needs_confirmation: bool = False,
    versions: Mapping[str, int] | None = None,
) -> types.WorkspaceEdit:
    """The edit the client applies for ``proposal``.

    ``document_changes`` says whether the client takes ``documentChanges`` with file creation;
    ``needs_confirmation`` asks the client to show the change before applying it; ``versions``
    (path → version of open documents) lets the client refuse an edit to a changed document.
    """
    annotation = types.ChangeAnnotation(
        label=proposal.title, needs_confirmation=needs_confirmation, description=proposal.rationale
    )
    if not document_changes:
        return types.WorkspaceEdit(changes=_changes(proposal, read_text, encoding))
    operations: list[types.TextDocumentEdit | types.CreateFile] = []
    for file in proposal.files:
        uri = Path(file.path).as_uri()
        if file.create:
            options = types.CreateFileOptions(overwrite=False, ignore_if_exists=True)
            operations.append(types.CreateFile(uri=uri, options=options, annotation_id=ANNOTATION))
        edits = _annotated_edits(file, read_text, encoding)
        version = None if file.create else (versions or {}).get(file.path)
        identifier = types.OptionalVersionedTextDocumentIdentifier(uri=uri, version=version)
        operations.append(types.TextDocumentEdit(text_document=identifier, edits=edits))
    return types.WorkspaceEdit(
        document_changes=operations, change_annotations={ANNOTATION: annotation}
    )


def _changes(
    proposal: Proposal, read_text: ReadText, encoding: Encoding
) -> dict[str, Sequence[types.TextEdit]]:
    return {
        Path(file.path).as_uri(): _text_edits(file, read_text, encoding) for file in proposal.files
    }


def _text_edits(file: FileEdit, read_text: ReadText, encoding: Encoding) -> list[types.TextEdit]:
    lines = _lines(file, read_text)
    return [
        types.TextEdit(range=_range(edit, lines, encoding), new_text=edit.new_text)
        for edit in file.edits
    ]


def _annotated_edits(
    file: FileEdit, read_text: ReadText, encoding: Encoding
) -> list[types.TextEdit | types.AnnotatedTextEdit | types.SnippetTextEdit]:
    lines = _lines(file, read_text)
    return [
        types.AnnotatedTextEdit(
            range=_range(edit, lines, encoding), new_text=edit.new_text, annotation_id=ANNOTATION
        )
        for edit in file.edits
    ]


def _lines(file: FileEdit, read_text: ReadText) -> list[str]:
    return [] if file.create else (read_text(file.path) or "").split("\n")


def _range(edit: TextEdit, lines: list[str], encoding: Encoding) -> types.Range:
    return types.Range(
        start=_position(edit.range.start, lines, encoding),
        end=_position(edit.range.end, lines, encoding),
    )


def _position(position: Position, lines: list[str], encoding: Encoding) -> types.Position:
    if position.line >= len(lines):
        return types.Position(line=position.line, character=position.character)
    prefix = lines[position.line][: position.character]
    return types.Position(line=position.line, character=units(prefix, encoding))
