"""Document: write the doc comment of a function, method or class, in its language's style.

The answer is the comment alone, unindented, in one fenced block: for Python the docstring's text
without quotes (Google style), for other languages the whole comment (JSDoc, Javadoc, KDoc, Swift
``///``, Go ``//``, Rust ``///``, C# XML). ``to_proposal`` indents and places it: a Python
docstring becomes the body's first statement (replacing an existing docstring); any other comment
goes on the lines above the declaration, before its annotations or decorators.
"""

from __future__ import annotations

from accord.agents.actions.answers import fenced, first_block
from accord.agents.actions.doc_styles import facts_of, render
from accord.agents.actions.outline import Outline, Source, target_outline
from accord.agents.exceptions import ActionFailed
from accord.agents.providers.types import Message
from accord.agents.tasks import ActionKind, Task
from accord.protocol import FileEdit, Position, Proposal, Range, TextEdit

__all__ = ["CAPABILITY", "EXPERTISE", "KIND", "local_answer", "prompt", "to_proposal"]

KIND = ActionKind.DOCUMENT
CAPABILITY = "code_generation"
EXPERTISE = "documentation"

_SYSTEM = (
    "You write documentation comments for source code. Describe what the definition does, its "
    "parameters, what it returns and the errors it raises, in the language's usual style."
)
_FORMAT = {
    "python": "the docstring's text only (Google style: summary line, Args:, Returns:, Raises:), "
    "without the triple quotes and without indentation",
}


def prompt(task: Task) -> tuple[str, tuple[Message, ...]]:
    """Asks for the doc comment of the target definition in one ```text block."""
    source, outline = target_outline(task.target)
    shape = _FORMAT.get(
        source.language, f"the complete {source.language} doc comment, without indentation"
    )
    request = (
        f"Document the {outline.kind} `{outline.name}` in {task.target.path}:\n"
        f"`{outline.signature}`\n{task.instructions}\n"
        f"Reply with only {shape}, in one ```text fenced block."
    )
    return _SYSTEM, (Message(role="user", content=request),)


def local_answer(task: Task) -> str:
    """The doc comment built from the AST: name as summary, parameters, result, errors."""
    source, outline = target_outline(task.target)
    return fenced(render(source.language, facts_of(outline)))


def to_proposal(task: Task, answer: str) -> Proposal:
    """The answer's comment placed at the target definition.

    Raises:
        ActionFailed: no fenced block, an empty one, or the target is not a definition.
    """
    comment = first_block(answer).strip("\n")
    if not comment.strip():
        raise ActionFailed("the answer's code block is empty")
    source, outline = target_outline(task.target)
    place = _docstring_edit if source.language == "python" else _comment_edit
    edit = place(source, outline, comment)
    return Proposal(
        action=KIND.value,
        title=f"Document {outline.name}",
        rationale=f"Writes the doc comment of the {outline.kind} `{outline.name}`.",
        files=(FileEdit(path=task.target.path, edits=(edit,)),),
    )


# How a doc comment's first line starts, per language (others: ``/**`` or ``///``); the lines
# that may continue one.
_DOC_OPENERS: dict[str, tuple[str, ...]] = {"go": ("//",)}
_DOC_LINES = ("///", "//", "/**", "*")


def _comment_edit(source: Source, outline: Outline, comment: str) -> TextEdit:
    """The comment above the declaration, replacing the doc comment already there, if any."""
    lines = [f"{outline.indent}{line}".rstrip() for line in comment.split("\n")]
    first = _existing_comment(source, outline)
    start, end = Position(line=first, character=0), Position(line=outline.line, character=0)
    return TextEdit(range=Range(start=start, end=end), new_text="\n".join(lines) + "\n")


def _existing_comment(source: Source, outline: Outline) -> int:
    """The first line of the doc comment right above the declaration (its line when none)."""
    lines = source.text.split("\n")
    top = outline.line
    while top > 0 and lines[top - 1].strip().startswith(_DOC_LINES):
        top -= 1
    openers = _DOC_OPENERS.get(source.language, ("/**", "///"))
    while top < outline.line and not lines[top].strip().startswith(openers):
        top += 1
    return top


def _docstring_edit(source: Source, outline: Outline, text: str) -> TextEdit:
    body = outline.body
    if body is None or not body.named_children:
        raise ActionFailed(f"`{outline.name}` has no body to document")
    first = body.named_children[0]
    existing = first.type == "expression_statement" and [c.type for c in first.named_children] == [
        "string"
    ]
    start = source.position_of(first.start_byte)
    # A body on the signature's line (``def f(): return 1``) moves to lines of its own.
    inline = bool(source.text.split("\n")[start.line][: start.character].strip())
    indent = (
        outline.indent + "    "
        if inline
        else source.text.split("\n")[start.line][: start.character]
    )
    docstring = _quoted(text, indent)
    if existing:
        end = source.position_of(first.end_byte)
        return TextEdit(range=Range(start=start, end=end), new_text=docstring)
    if inline:
        return TextEdit(
            range=Range(start=start, end=start), new_text=f"\n{indent}{docstring}\n{indent}"
        )
    return TextEdit(range=Range(start=start, end=start), new_text=f"{docstring}\n{indent}")


def _quoted(text: str, indent: str) -> str:
    """``text`` as a triple-quoted docstring whose later lines are indented by ``indent``."""
    safe = text.replace("\\", "\\\\").replace('"""', '\\"\\"\\"').strip()
    lines = safe.split("\n")
    if len(lines) == 1:
        return f'"""{lines[0]}"""'
    rest = [f"{indent}{line}".rstrip() for line in lines[1:]]
    return "\n".join([f'"""{lines[0]}', *rest, f'{indent}"""'])
