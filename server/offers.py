"""Which agent actions apply at a range of an open document, and the Task each one becomes.

Listing is cheap (a walk up the syntax tree from the range's start, no analysis, no provider):
actions are offered as code actions carrying an ``OfferData`` and only become a ``Task`` when run.
Ranges in an ``OfferData`` are in code points, as in a Proposal, so running an action does not
depend on the client's position encoding.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import tree_sitter
from pydantic import BaseModel, ConfigDict

from accord.agents.actions import fix, generate_tests
from accord.agents.tasks import ActionKind, Target, TargetKind, Task
from accord.analyzers.languages import LanguageSpec
from accord.analyzers.positions import Encoding
from accord.analyzers.source import SourceDocument
from accord.codegen.platforms import all_platforms
from accord.protocol import Position, Range

from .session import OpenDocument, path_of

__all__ = ["ClientRange", "OfferData", "StaleOffer", "offers_at", "task_for", "tasks_for_file"]

# Rule codes whose findings have a quick fix.
FIXABLE = ("ACC003", "ACC004")
# Languages whose selections can be extracted into a function.
EXTRACTABLE = ("python",)
# The platforms Translate model emits for (less the model's own).
TRANSLATE_TARGETS = ("kotlin", "swift", "typescript")
_PLATFORM_NAMES = {"kotlin": "Kotlin", "swift": "Swift", "typescript": "TypeScript"}


class StaleOffer(Exception):
    """The document changed since the action was offered."""


class OfferData(BaseModel):
    """What a listed action needs to run: the document version, the target and its range."""

    model_config = ConfigDict(frozen=True)

    uri: str
    version: int
    kind: ActionKind
    target: TargetKind
    range: Range
    symbol: str | None = None
    code: str | None = None
    message: str | None = None
    targets: tuple[str, ...] = ()

    @property
    def title(self) -> str:
        """The code action's title, e.g. ``Accord: Document parse_config``."""
        subject = f" {self.symbol}" if self.symbol else ""
        return {
            ActionKind.DOCUMENT: f"Accord: Document{subject}",
            ActionKind.GENERATE_TESTS: f"Accord: Generate tests for{subject or ' this'}",
            ActionKind.EXPLAIN: f"Accord: Explain{subject or ' selection'}",
            ActionKind.EXTRACT_FUNCTION: "Accord: Extract function",
            ActionKind.FIX: f"Accord: Fix {self.code} — {self.message or ''}".rstrip(" —"),
            ActionKind.TRANSLATE_MODEL: "Accord: Translate model to "
            + ", ".join(_PLATFORM_NAMES.get(t, t) for t in self.targets),
        }[self.kind]


@dataclass(frozen=True, slots=True)
class ClientRange:
    """A range as the client sent it: (line, character) pairs in the negotiated encoding."""

    start: tuple[int, int]
    end: tuple[int, int]


@dataclass(frozen=True, slots=True)
class Finding:
    """A diagnostic the client sent back in the code action's context."""

    range: ClientRange
    code: str
    message: str


def offers_at(
    document: OpenDocument,
    selection: ClientRange,
    findings: Iterable[Finding],
    encoding: Encoding,
) -> list[OfferData]:
    """Every action that applies to ``selection`` of ``document``, in menu order."""
    source = document.source
    if source is None or document.spec is None:
        return []
    base = {"uri": document.uri, "version": document.version}
    offers = [
        OfferData(
            **base,
            kind=ActionKind.FIX,
            target=TargetKind.DIAGNOSTIC,
            range=_code_points(source, finding.range, encoding),
            code=finding.code,
            message=finding.message,
        )
        for finding in findings
        if finding.code in FIXABLE and fix.fixable(finding.code, document.spec.name)
    ]
    chosen = _code_points(source, selection, encoding)
    if chosen.start != chosen.end and document.spec.name in EXTRACTABLE:
        offers.append(
            OfferData(
                **base, kind=ActionKind.EXTRACT_FUNCTION, target=TargetKind.SELECTION, range=chosen
            )
        )
    definition = _definition_at(source, chosen.start)
    if definition is not None:
        kind = TargetKind.CLASS if definition.type in source.spec.classes else TargetKind.FUNCTION
        span = _node_range(source, definition)
        for action in (ActionKind.DOCUMENT, ActionKind.GENERATE_TESTS, ActionKind.EXPLAIN):
            if action is ActionKind.GENERATE_TESTS and not generate_tests.offered(
                document.spec.name, definition
            ):
                continue
            offers.append(
                OfferData(**base, kind=action, target=kind, range=span, symbol=_name(definition))
            )
        if kind is TargetKind.CLASS and _translatable(document.spec.name):
            targets = tuple(t for t in TRANSLATE_TARGETS if t != document.spec.name)
            offers.append(
                OfferData(
                    **base,
                    kind=ActionKind.TRANSLATE_MODEL,
                    target=kind,
                    range=span,
                    symbol=_name(definition),
                    targets=targets,
                )
            )
    elif chosen.start != chosen.end:
        offers.append(
            OfferData(**base, kind=ActionKind.EXPLAIN, target=TargetKind.SELECTION, range=chosen)
        )
    return offers


def task_for(data: OfferData, document: OpenDocument, root: str | None, encoding: Encoding) -> Task:
    """The task an offer becomes, on the document's current text.

    Raises:
        StaleOffer: the document is no longer at the offer's version.
    """
    if document.version != data.version or document.source is None or document.spec is None:
        raise StaleOffer(
            f"{data.uri} changed since the action was offered (version {data.version}, "
            f"now {document.version}); ask for code actions again"
        )
    target = Target(
        path=path_of(data.uri) or data.uri,
        language=document.spec.name,
        source=document.source.text,
        range=data.range,
        kind=data.target,
        symbol=data.symbol,
        code=data.code,
        message=data.message,
    )
    return Task(kind=data.kind, target=target, root=root, targets=data.targets)


def _translatable(language: str) -> bool:
    """Whether codegen lifts models from ``language``."""
    platform = all_platforms().get(language)
    return platform is not None and platform.lifts


def _definition_at(source: SourceDocument, position: Position) -> tree_sitter.Node | None:
    """The innermost function or class enclosing ``position``."""
    point = (position.line, _byte_column(source, position))
    node: tree_sitter.Node | None = source.tree.root_node.descendant_for_point_range(point, point)
    wanted = source.spec.functions | source.spec.classes
    while node is not None and node.type not in wanted:
        node = node.parent
    return node


def _name(node: tree_sitter.Node) -> str | None:
    named = node.child_by_field_name("name")
    if named is None:
        named = next((c for c in node.named_children if "identifier" in c.type), None)
    if named is None and node.parent is not None and node.parent.type == "variable_declarator":
        named = node.parent.child_by_field_name("name")
    return named.text.decode("utf-8", errors="replace") if named and named.text else None


def _node_range(source: SourceDocument, node: tree_sitter.Node) -> Range:
    return Range(start=_point(source, node.start_point), end=_point(source, node.end_point))


def _point(source: SourceDocument, point: tree_sitter.Point) -> Position:
    row, column = point
    prefix = source.lines.line_bytes(row)[:column]
    return Position(line=row, character=len(prefix.decode("utf-8", errors="replace")))


def _code_points(source: SourceDocument, client: ClientRange, encoding: Encoding) -> Range:
    def convert(line: int, character: int) -> Position:
        offset = source.lines.offset_at(line, character, encoding)
        return _point(source, tree_sitter.Point(*source.lines.point(offset)))

    return Range(start=convert(*client.start), end=convert(*client.end))


def _byte_column(source: SourceDocument, position: Position) -> int:
    line = source.lines.line_bytes(position.line).decode("utf-8", errors="replace")
    return len(line[: position.character].encode("utf-8"))


def tasks_for_file(
    kind: ActionKind, path: str, text: str, spec: LanguageSpec, root: str | None
) -> list[Task]:
    """One task per function of a file that is not nested in another function."""
    source = SourceDocument.from_text(spec, text)
    tasks = []
    for node in _outer_functions(source.tree.root_node, spec):
        target = Target(
            path=path,
            language=spec.name,
            source=text,
            range=_node_range(source, node),
            kind=TargetKind.FUNCTION,
            symbol=_name(node),
        )
        tasks.append(Task(kind=kind, target=target, root=root))
    return tasks


def _outer_functions(node: tree_sitter.Node, spec: LanguageSpec) -> list[tree_sitter.Node]:
    found: list[tree_sitter.Node] = []
    for child in node.named_children:
        if child.type in spec.functions:
            found.append(child)
        else:
            found.extend(_outer_functions(child, spec))
    return found
