"""Document: write the doc comment of a function, method or class, in its language's style.

The answer is the comment alone, unindented, in one fenced block: for Python the docstring's text
without quotes (Google style), for other languages the whole comment (JSDoc, Javadoc, KDoc, Swift
``///``, Go ``//``, Rust ``///``, C# XML). ``to_proposal`` indents and places it: a Python
docstring becomes the body's first statement; any other comment goes on the lines above the
declaration, before its annotations or decorators.

Nothing written by a person is lost: where a docstring or a ``/** */`` comment exists, it is
completed (``doc_completion``: the missing parameters, result and errors, in its own style), only
by inserting lines; an answer that drops its lines is repaired or refused; and where it lacks
nothing, the proposal says so and has no edit.
"""

from __future__ import annotations

from accord.agents.actions.answers import fenced, first_block
from accord.agents.actions.doc_completion import (
    Missing,
    apply_insertions,
    completion,
    merge_answer,
)
from accord.agents.actions.doc_describe import todos
from accord.agents.actions.doc_site import DocSite, doc_site, existing_comment_line
from accord.agents.actions.doc_styles import facts_of, render
from accord.agents.actions.outline import Outline, Source, target_outline
from accord.agents.exceptions import ActionFailed
from accord.agents.providers.types import Message
from accord.agents.tasks import ActionKind, Task
from accord.protocol import FileEdit, Position, Proposal, Range, TextEdit
from accord.protocol.proposal import Check, CheckStatus

__all__ = ["CAPABILITY", "EXPERTISE", "KIND", "local_answer", "prompt", "to_proposal"]

KIND = ActionKind.DOCUMENT
CAPABILITY = "code_generation"
EXPERTISE = "documentation"
# The evidence a Document proposal carries.
KEEPS = "keeps documentation"

_SYSTEM = (
    "You write documentation comments for source code. Describe what the definition does, its "
    "parameters, what it returns and the errors it raises, in the language's usual style."
)
_FORMAT = {
    "python": "the docstring's text only (Google style: summary line, Args:, Returns:, Raises:), "
    "without the triple quotes and without indentation",
}


def prompt(task: Task) -> tuple[str, tuple[Message, ...]]:
    """Asks for the doc comment of the target definition in one ```text block; an existing one
    is shown, to be kept line for line and completed."""
    source, outline = target_outline(task.target)
    shape = _FORMAT.get(
        source.language, f"the complete {source.language} doc comment, without indentation"
    )
    request = (
        f"Document the {outline.kind} `{outline.name}` in {task.target.path}:\n"
        f"`{outline.signature}`\n{task.instructions}\n"
    )
    site = doc_site(source, outline)
    if site is not None:
        missing = Missing.of(site.doc, facts_of(outline))
        request += (
            f"It already has this doc comment:\n{fenced(site.answer(list(site.doc.lines)))}\n"
            f"Keep every existing line exactly as it is (text, examples, tags) and add only "
            f"what is missing ({missing.describe() or 'nothing'}), in the comment's own style.\n"
        )
    request += f"Reply with only {shape}, in one ```text fenced block."
    return _SYSTEM, (Message(role="user", content=request),)


def local_answer(task: Task) -> str:
    """The doc comment built from the AST: name as summary, parameters, result, errors; an
    existing comment completed with what it lacks, every line of it kept."""
    source, outline = target_outline(task.target)
    site = doc_site(source, outline)
    if site is None:
        return fenced(render(source.language, facts_of(outline)))
    facts = facts_of(outline)
    missing = Missing.of(site.doc, facts)
    insertions = completion(site.doc, facts, missing, site.style, site.base, jsdoc=site.jsdoc)
    return fenced(site.answer(apply_insertions(list(site.doc.lines), insertions)))


def to_proposal(task: Task, answer: str) -> Proposal:
    """The answer's comment placed at the target definition; an existing comment is only
    completed (its lines kept), and where it lacks nothing no edit is proposed.

    Raises:
        ActionFailed: no fenced block, an empty one, the target is not a definition, or the
            answer drops lines of the existing comment and adds nothing usable.
    """
    comment = first_block(answer).strip("\n")
    if not comment.strip():
        raise ActionFailed("the answer's code block is empty")
    source, outline = target_outline(task.target)
    site = doc_site(source, outline)
    if site is not None:
        return _completed(task, outline, site, comment)
    place = _docstring_edit if source.language == "python" else _comment_edit
    edit = place(source, outline, comment)
    return Proposal(
        action=KIND.value,
        title=f"Document {outline.name}",
        rationale=f"Writes the doc comment of the {outline.kind} `{outline.name}`."
        + _todo_note(todos(comment)),
        files=(FileEdit(path=task.target.path, edits=(edit,)),),
    )


def _completed(task: Task, outline: Outline, site: DocSite, comment: str) -> Proposal:
    """The existing comment with what it lacks inserted, or no edit when it lacks nothing."""
    facts = facts_of(outline)
    missing = Missing.of(site.doc, facts)
    what = f"the {outline.kind} `{outline.name}`"
    if not missing or not site.completable:
        reason = (
            "it already documents its parameters, result and errors"
            if site.completable
            else f"completing a {site.language} doc comment is not supported"
        )
        return Proposal(
            action=KIND.value,
            title=f"{outline.name} is documented",
            rationale=f"No edit: the doc comment of {what} is kept as it is; {reason}.",
            evidence=(Check(name=KEEPS, status=CheckStatus.PASSED, detail="no edit proposed"),),
        )
    merged = merge_answer(
        site.doc, facts, site.lines_of(comment), site.style, site.base, site.jsdoc
    )
    return Proposal(
        action=KIND.value,
        title=f"Document {outline.name}",
        rationale=f"Completes the doc comment of {what}: adds {missing.describe()}; every "
        "existing line is kept." + _todo_note(todos(comment) - todos(site.doc.text)),
        files=(FileEdit(path=task.target.path, edits=site.edits(merged.insertions)),),
        evidence=(Check(name=KEEPS, status=CheckStatus.PASSED, detail=merged.detail),),
    )


def _todo_note(count: int) -> str:
    """What the user must still write: the descriptions the code could not give."""
    if count <= 0:
        return ""
    which = "description is" if count == 1 else "descriptions are"
    return f" {count} {which} marked TODO: the code does not show them; please fill them in."


def _comment_edit(source: Source, outline: Outline, comment: str) -> TextEdit:
    """The comment on the lines above the declaration."""
    lines = [f"{outline.indent}{line}".rstrip() for line in comment.split("\n")]
    first = existing_comment_line(source, outline)
    start, end = Position(line=first, character=0), Position(line=outline.line, character=0)
    return TextEdit(range=Range(start=start, end=end), new_text="\n".join(lines) + "\n")


def _docstring_edit(source: Source, outline: Outline, text: str) -> TextEdit:
    body = outline.body
    if body is None or not body.named_children:
        raise ActionFailed(f"`{outline.name}` has no body to document")
    # An existing docstring is completed instead (``doc_site``): this one is new.
    first = body.named_children[0]
    start = source.position_of(first.start_byte)
    # A body on the signature's line (``def f(): return 1``) moves to lines of its own.
    inline = bool(source.text.split("\n")[start.line][: start.character].strip())
    indent = (
        outline.indent + "    "
        if inline
        else source.text.split("\n")[start.line][: start.character]
    )
    docstring = _quoted(text, indent)
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
