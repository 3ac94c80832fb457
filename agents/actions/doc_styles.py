"""Documentation comment styles: each renders a definition's facts as its language's convention.

A style is a function from ``Facts`` to the comment's lines, unindented (for Python: the
docstring's lines without the quotes). ``STYLE_OF`` maps analyzer language names to styles.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from accord.agents.actions.doc_describe import Descriptions, describe
from accord.agents.actions.outline import Outline, Parameter, split_words

__all__ = ["STYLE_OF", "Facts", "facts_of", "render"]

# Receivers that are not documented as parameters.
_RECEIVERS = frozenset({"self", "cls", "this"})


@dataclass(frozen=True, slots=True)
class Facts:
    """What a doc comment states: a summary, parameters, result and errors of one definition."""

    name: str
    summary: str
    parameters: tuple[Parameter, ...]
    return_type: str | None
    returns: bool
    yields: bool
    raises: tuple[str, ...]
    error_result: bool
    # What the code shows about each part (``doc_describe``), else marked TODOs.
    said: Descriptions = field(default_factory=lambda: Descriptions({}, "", {}))


def facts_of(outline: Outline) -> Facts:
    """The facts the AST gives about ``outline``; the summary is its name as a sentence."""
    words = split_words(outline.name) or ["undocumented"]
    returns = outline.returns_value and outline.return_type not in {"None", "void", "Unit"}
    return Facts(
        name=outline.name,
        summary=" ".join(words).capitalize() + ".",
        parameters=tuple(p for p in outline.parameters if p.name and p.name not in _RECEIVERS),
        return_type=outline.return_type,
        returns=returns,
        yields=outline.yields,
        raises=outline.raises,
        error_result=outline.error_result,
        said=describe(outline),
    )


def _google(facts: Facts) -> list[str]:
    lines = [facts.summary]
    if facts.parameters:
        lines += ["", "Args:"]
        for p in facts.parameters:
            kind = f" ({p.type})" if p.type else ""
            lines.append(f"    {p.name}{kind}: {facts.said.parameter(p)}")
    if facts.yields or facts.returns:
        head = "Yields" if facts.yields else "Returns"
        kind = f"{facts.return_type}: " if facts.return_type and not facts.yields else ""
        lines += ["", f"{head}:", f"    {kind}{facts.said.result}"]
    if facts.raises:
        lines += ["", "Raises:", *(f"    {e}: {facts.said.error(e)}" for e in facts.raises)]
    return lines


def _block(body: list[str]) -> list[str]:
    return ["/**", *(f" * {line}".rstrip() for line in body), " */"]


def _jsdoc(facts: Facts) -> list[str]:
    body = [facts.summary]
    tags = []
    for p in facts.parameters:
        kind = f"{{{p.type}}} " if p.type else ""
        name = f"[{p.name}={p.default}]" if p.default else p.name
        tags.append(f"@param {kind}{name} - {facts.said.parameter(p)}")
    if facts.returns or facts.yields:
        kind = f"{{{facts.return_type}}} " if facts.return_type else ""
        tags.append(f"@{'yields' if facts.yields else 'returns'} {kind}{facts.said.result}")
    tags += [f"@throws {{{error}}} {facts.said.error(error)}" for error in facts.raises]
    return _block(body + ([""] + tags if tags else []))


def _tagged(return_tag: str) -> Callable[[Facts], list[str]]:
    """Javadoc and KDoc: ``@param name text``, ``@return``, ``@throws Type text``."""

    def style(facts: Facts) -> list[str]:
        tags = [f"@param {p.name} {facts.said.parameter(p)}" for p in facts.parameters]
        if facts.returns:
            tags.append(f"{return_tag} {facts.said.result}")
        tags += [f"@throws {error} {facts.said.error(error)}" for error in facts.raises]
        return _block([facts.summary] + ([""] + tags if tags else []))

    return style


def _slashes(body: list[str]) -> list[str]:
    return [f"/// {line}".rstrip() for line in body]


def _swift(facts: Facts) -> list[str]:
    body = [facts.summary]
    if facts.parameters:
        body += [
            "",
            "- Parameters:",
            *(f"  - {p.name}: {facts.said.parameter(p)}" for p in facts.parameters),
        ]
    if facts.returns:
        body.append(f"- Returns: {facts.said.result}")
    if facts.raises or facts.error_result:
        body.append(f"- Throws: {', '.join(facts.raises) or 'An error'} when it fails.")
    return _slashes(body)


def _rust(facts: Facts) -> list[str]:
    body = [facts.summary]
    if facts.parameters:
        body += [
            "",
            "# Arguments",
            "",
            *(f"* `{p.name}` - {facts.said.parameter(p)}" for p in facts.parameters),
        ]
    if facts.error_result:
        body += ["", "# Errors", "", "Returns an error when it fails."]
    if facts.raises:
        body += [
            "",
            "# Panics",
            "",
            f"Panics (via {', '.join(facts.raises)}!) when it cannot go on.",
        ]
    return _slashes(body)


def _go(facts: Facts) -> list[str]:
    lines = [f"{facts.name} does this: {facts.summary[0].lower()}{facts.summary[1:]}"]
    if facts.parameters:
        lines.append(
            "Parameters: " + ", ".join(f"{p.name} ({p.type})" for p in facts.parameters) + "."
        )
    if facts.error_result:
        lines.append("It returns a non-nil error when it fails.")
    return [f"// {line}" for line in lines]


def _xml(facts: Facts) -> list[str]:
    body = ["<summary>", facts.summary, "</summary>"]
    body += [f'<param name="{p.name}">{facts.said.parameter(p)}</param>' for p in facts.parameters]
    if facts.returns:
        body.append(f"<returns>{facts.said.result}</returns>")
    body += [f'<exception cref="{e}">{facts.said.error(e)}</exception>' for e in facts.raises]
    return _slashes(body)


STYLE_OF: dict[str, Callable[[Facts], list[str]]] = {
    "python": _google,
    "javascript": _jsdoc,
    "typescript": _jsdoc,
    "tsx": _jsdoc,
    "java": _tagged("@return"),
    "kotlin": _tagged("@return"),
    "swift": _swift,
    "go": _go,
    "rust": _rust,
    "csharp": _xml,
}


def render(language: str, facts: Facts) -> str:
    """The doc comment for ``facts`` in ``language``'s style, unindented."""
    return "\n".join(STYLE_OF[language](facts))
