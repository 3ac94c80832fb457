"""Ask requests: the code action that offers one, and the Task a request becomes.

The code action "Accord: Ask an agent..." runs ``accord.agents.ask`` with the scope only
(``{"scope": {"uri", "range"}}``: the selection, or the whole file when nothing is selected);
the client asks the user for the instruction and sends the command again with it
(``{"instruction": "…", "scope": …}``). A scope of several files is ``{"uris": [...]}``.
Ranges are the client's (in its position encoding); the task carries code points and the
texts as the editor has them (unsaved edits included). Nothing here mutates the session.
"""

from __future__ import annotations

from typing import Any

from lsprotocol import types
from pydantic import BaseModel, ConfigDict, ValidationError
from pygls.exceptions import JsonRpcInvalidParams

from accord.agents.ask.scope import ask_task
from accord.agents.exceptions import ActionFailed
from accord.agents.tasks import Task
from accord.analyzers.source import SourceDocument
from accord.protocol import Position, Range

from .session import Session, path_of

__all__ = ["ASK", "ASK_KIND", "AskRequest", "ask_action", "ask_task_for", "code_point_position"]

ASK = "accord.agents.ask"
ASK_KIND = f"{types.CodeActionKind.Refactor.value}.accord.ask"
TITLE = "Accord: Ask an agent..."


class _Position(BaseModel):
    line: int
    character: int


class _Range(BaseModel):
    start: _Position
    end: _Position


class Scope(BaseModel):
    """What the agent may change: a document (and a selection of it), or several files."""

    model_config = ConfigDict(frozen=True)

    uri: str | None = None
    range: _Range | None = None
    uris: tuple[str, ...] = ()


class AskRequest(BaseModel):
    """The command's one argument."""

    model_config = ConfigDict(frozen=True)

    instruction: str = ""
    scope: Scope
    # The line of the comment the request was written in (``written_requests``), if it was.
    written: int | None = None


def ask_action(uri: str, selection: types.Range) -> types.CodeAction:
    """The "Ask an agent..." code action for ``selection`` of ``uri`` (the client asks for the
    instruction when it runs the command)."""
    chosen = selection.start != selection.end
    scope: dict[str, Any] = {"uri": uri}
    if chosen:
        scope["range"] = {
            "start": {"line": selection.start.line, "character": selection.start.character},
            "end": {"line": selection.end.line, "character": selection.end.character},
        }
    command = types.Command(title=TITLE, command=ASK, arguments=[{"scope": scope}])
    return types.CodeAction(title=TITLE, kind=ASK_KIND, command=command)


def ask_task_for(session: Session, argument: Any) -> Task:
    """The Ask task of a command argument.

    Raises:
        JsonRpcInvalidParams: a malformed argument, no instruction, or a scope that cannot be read.
    """
    try:
        request = AskRequest.model_validate(argument)
    except ValidationError as error:
        raise JsonRpcInvalidParams(
            message=f"{ASK} takes {{instruction, scope}}: {error}"
        ) from error
    if not request.instruction.strip():
        raise JsonRpcInvalidParams(
            message=f"{ASK} needs an instruction: the client asks the user for it"
        )
    uris = [request.scope.uri] if request.scope.uri else list(request.scope.uris)
    if not uris:
        raise JsonRpcInvalidParams(message=f"{ASK}: the scope names no file")
    files = [(path_of(uri) or uri, _text(session, uri)) for uri in uris]
    selection = _selection(session, uris[0], request.scope.range)
    root = str(session.root_of(files[0][0]))
    try:
        return ask_task(request.instruction, root, files, selection)
    except ActionFailed as error:
        raise JsonRpcInvalidParams(message=str(error)) from error


def _text(session: Session, uri: str) -> str:
    text = session.current_text(path_of(uri) or uri)
    if text is None:
        raise JsonRpcInvalidParams(message=f"{uri} cannot be read")
    return text


def _selection(session: Session, uri: str, chosen: _Range | None) -> Range | None:
    """The client's selection in code points, on the document as the editor has it."""
    document = session.documents.get(uri)
    if chosen is None or document is None or document.source is None:
        return None
    source = document.source

    def convert(position: _Position) -> Position:
        offset = source.lines.offset_at(position.line, position.character, session.encoding)
        return code_point_position(source, offset)

    return Range(start=convert(chosen.start), end=convert(chosen.end))


def code_point_position(source: SourceDocument, offset: int) -> Position:
    """The position of byte ``offset`` in code points (as the task's ranges are)."""
    row, column = source.lines.point(offset)
    prefix = source.lines.line_bytes(row)[:column]
    return Position(line=row, character=len(prefix.decode("utf-8", errors="replace")))
