"""Document: a docstring or doc comment from the signature, raised errors and return paths.

Each language gets its own convention: Google-style docstrings for Python, JSDoc, Javadoc,
KDoc, Swift and Rust ``///`` markdown, Go ``//`` comments, C# XML documentation. A model is asked
for the documentation alone in one fenced block; the local provider writes it from the syntax
tree. Either way it is placed by the tree: as the first statement of a Python body (replacing a
docstring there), above the declaration elsewhere, indented like it.
"""

from __future__ import annotations

import re

from accord.agents.exceptions import ActionFailed
from accord.agents.providers.types import Message
from accord.agents.tasks import ActionKind, Task
from accord.protocol import FileEdit, Proposal, Range, TextEdit

from .generate_tests import FENCE, split_answer
from .outline import Definition, definition_at

__all__ = ["CAPABILITY", "EXPERTISE", "KIND", "local_answer", "prompt", "to_proposal"]

KIND = ActionKind.DOCUMENT
CAPABILITY = "code_generation"
EXPERTISE = "documentation"

# How each language writes a doc comment: its name for the prompt and its line prefixes.
STYLES: dict[str, tuple[str, str, str, str]] = {
    # language: (convention, first line, line prefix, last line)
    "python": ("a Google-style docstring", '"""', "", '"""'),
    "javascript": ("a JSDoc comment", "/**", " * ", " */"),
    "typescript": ("a TSDoc/JSDoc comment", "/**", " * ", " */"),
    "tsx": ("a TSDoc/JSDoc comment", "/**", " * ", " */"),
    "java": ("a Javadoc comment", "/**", " * ", " */"),
    "kotlin": ("a KDoc comment", "/**", " * ", " */"),
    "swift": ("a Swift /// documentation comment", "", "/// ", ""),
    "go": ("a Go doc comment", "", "// ", ""),
    "rust": ("a Rust /// doc comment", "", "/// ", ""),
    "csharp": ("a C# XML documentation comment", "", "/// ", ""),
}


def prompt(task: Task) -> tuple[str, tuple[Message, ...]]:
    """Ask for the documentation alone, in the language's convention."""
    definition = _definition(task)
    convention = STYLES[task.target.language][0]
    system = (
        f"You are Accord's documentation agent. Write {convention} for the given "
        f"{definition.kind}: what it does, each parameter, what it returns and what it raises. "
        "Reply with only the documentation (comment markers or quotes included, no code, no "
        "indentation) in one fenced code block."
    )
    lines = task.target.source.split("\n")
    code = "\n".join(lines[task.target.range.start.line : task.target.range.end.line + 1])
    user = f"Document `{definition.name}`:\n\n{FENCE}{task.target.language}\n{code}\n{FENCE}"
    return system, (Message(role="user", content=user),)


def local_answer(task: Task) -> str:
    """Documentation written from the syntax tree alone."""
    definition = _definition(task)
    text = "\n".join(_render(task.target.language, definition))
    return f"{FENCE}text\n{text}\n{FENCE}\n\nDocumented {definition.name} from its signature."


def to_proposal(task: Task, answer: str) -> Proposal:
    """Place the answer's documentation on the definition.

    Raises:
        ActionFailed: no code block in the answer, or no definition at the target.
    """
    definition = _definition(task)
    doc, rationale = split_answer(answer)
    edit = _placement(task, definition, doc.rstrip("\n").split("\n"))
    return Proposal(
        action=KIND.value,
        title=f"Document {definition.name}",
        rationale=rationale or f"Documentation for {definition.name}.",
        files=(FileEdit(path=task.target.path, edits=(edit,)),),
    )


def _definition(task: Task) -> Definition:
    if task.target.language not in STYLES:
        raise ActionFailed(f"no documentation convention known for {task.target.language}")
    definition = definition_at(
        task.target.source, task.target.language, task.target.range.start.line
    )
    if definition is None:
        raise ActionFailed("no function or class at the target to document")
    return definition


def _placement(task: Task, definition: Definition, doc: list[str]) -> TextEdit:
    if task.target.language == "python":
        indent = definition.body_indent
        text = "".join(f"{indent}{line}\n" if line else "\n" for line in doc)
        if definition.docstring is not None:
            first, last = definition.docstring
            return TextEdit(range=Range.of(first, 0, last + 1, 0), new_text=text)
        return TextEdit(
            range=Range.of(definition.body_line, 0, definition.body_line, 0), new_text=text
        )
    indent = definition.indent
    text = "".join(f"{indent}{line}\n" for line in doc)
    return TextEdit(range=Range.of(definition.line, 0, definition.line, 0), new_text=text)


def _render(language: str, definition: Definition) -> list[str]:
    _, first, prefix, last = STYLES[language]
    if language == "python":
        body = _python_sections(definition)
        return [f'"""{body[0]}', *body[1:], '"""'] if len(body) > 1 else [f'"""{body[0]}"""']
    body = _SECTIONS.get(language, _tagged)(definition)
    lines = [f"{prefix}{line}".rstrip() for line in body]
    return [*([first] if first else []), *lines, *([last] if last else [])]


def summary(definition: Definition) -> str:
    """A first sentence from the name: ``parse_config_file`` → ``Parse config file.``"""
    words = re.sub(r"([a-z0-9])([A-Z])", r"\1 \2", definition.name).replace("_", " ").split()
    if not words:
        return f"The {definition.kind}."
    sentence = " ".join(w if w.isupper() and len(w) > 1 else w.lower() for w in words)
    return sentence[0].upper() + sentence[1:] + "."


def _python_sections(d: Definition) -> list[str]:
    lines = [summary(d)]
    if d.parameters:
        lines += ["", "Args:"]
        lines += [
            f"    {p.name}{f' ({p.type})' if p.type else ''}: "
            f"The {_words(p.name)}{f'; defaults to {p.default}' if p.default else ''}."
            for p in d.parameters
        ]
    if d.yields:
        lines += ["", "Yields:", f"    {d.return_type or 'Each value produced'}."]
    elif d.returns_value:
        lines += [
            "",
            "Returns:",
            f"    {d.return_type + ': ' if d.return_type else ''}The result of {_words(d.name)}.",
        ]
    if d.raises:
        lines += ["", "Raises:", *(f"    {e}: When {_words(d.name)} fails." for e in d.raises)]
    return lines


def _tagged(d: Definition) -> list[str]:
    """JSDoc, Javadoc and KDoc: a summary, then @param / @returns / @throws tags."""
    lines = [summary(d)]
    if d.parameters or d.returns_value or d.raises:
        lines.append("")
    lines += [f"@param {p.name} The {_words(p.name)}." for p in d.parameters]
    if d.returns_value:
        lines.append(f"@return The result of {_words(d.name)}.")
    lines += [f"@throws {e} When {_words(d.name)} fails." for e in d.raises]
    return lines


def _jsdoc(d: Definition) -> list[str]:
    lines = [summary(d)]
    if d.parameters or d.returns_value or d.raises:
        lines.append("")
    lines += [
        f"@param {{{p.type}}} {p.name} The {_words(p.name)}."
        if p.type
        else f"@param {p.name} The {_words(p.name)}."
        for p in d.parameters
    ]
    if d.returns_value:
        lines.append(f"@returns The result of {_words(d.name)}.")
    lines += [f"@throws {{{e}}} When {_words(d.name)} fails." for e in d.raises]
    return lines


def _markdown(d: Definition) -> list[str]:
    """Swift: ``- Parameters:``, ``- Returns:``, ``- Throws:``."""
    lines = [summary(d)]
    if d.parameters:
        lines += [
            "",
            "- Parameters:",
            *(f"  - {p.name}: The {_words(p.name)}." for p in d.parameters),
        ]
    if d.returns_value:
        lines.append(f"- Returns: The result of {_words(d.name)}.")
    if d.raises:
        lines.append(f"- Throws: {', '.join(d.raises)} when {_words(d.name)} fails.")
    return lines


def _rust(d: Definition) -> list[str]:
    lines = [summary(d)]
    if d.parameters:
        lines += [
            "",
            "# Arguments",
            "",
            *(f"* `{p.name}` - The {_words(p.name)}." for p in d.parameters),
        ]
    if "Err" in d.raises:
        lines += ["", "# Errors", "", f"Returns an error when {_words(d.name)} fails."]
    return lines


def _go(d: Definition) -> list[str]:
    lines = [f"{d.name} implements {_words(d.name)}."]
    if "error" in d.raises:
        lines.append(f"It returns an error when {_words(d.name)} fails.")
    return lines


def _csharp(d: Definition) -> list[str]:
    lines = ["<summary>", summary(d), "</summary>"]
    lines += [f'<param name="{p.name}">The {_words(p.name)}.</param>' for p in d.parameters]
    if d.returns_value:
        lines.append(f"<returns>The result of {_words(d.name)}.</returns>")
    lines += [f'<exception cref="{e}">When {_words(d.name)} fails.</exception>' for e in d.raises]
    return lines


_SECTIONS = {
    "javascript": _jsdoc,
    "typescript": _jsdoc,
    "tsx": _jsdoc,
    "swift": _markdown,
    "rust": _rust,
    "go": _go,
    "csharp": _csharp,
}


def _words(name: str) -> str:
    return " ".join(re.sub(r"([a-z0-9])([A-Z])", r"\1 \2", name).replace("_", " ").lower().split())
