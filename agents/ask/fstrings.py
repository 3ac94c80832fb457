"""Convert ``%`` formatting and ``str.format`` calls to f-strings (libcst), where it is exact.

Converted, as pyupgrade does: a plain one-line string literal (no ``b``/``r`` prefix, not triple-quoted, not
implicitly concatenated) formatted with

- ``%`` and a tuple of values (or one literal value): ``%s`` (as ``{x}``), ``%r``, ``%a`` and the numeric
  conversions whose format spec means the same (``e E f F g G x X o``, with flags, width and
  precision), and ``%%``;
- ``.format(...)`` with positional and keyword arguments, fields ``{}``, ``{0}``, ``{name}``,
  attribute and index lookups, ``!r``/``!s``/``!a`` and format specs without nested fields.

Left as they are (the meaning could change): ``%d``/``%i``/``%c`` (they accept floats and
ints the f-string spec does not), ``%(key)s`` mappings, ``*`` widths, a value that is a name
(it may hold a tuple), unused or starred arguments, an argument with side effects used twice,
and expressions holding the string's quote, a backslash or a newline.
"""

from __future__ import annotations

import ast
import re
import string
from collections.abc import Callable
from dataclasses import dataclass

import libcst as cst

__all__ = ["Converted", "convert"]

_SPEC = re.compile(
    r"%(?P<key>\([^)]*\))?(?P<flags>[-+ #0]*)(?P<width>\*|\d+)?"
    r"(?:\.(?P<precision>\*|\d+))?[hlL]?(?P<kind>.)",
    re.DOTALL,
)
_SAME_SPEC = set("eEfFgGxXo")
_CONVERSIONS = {"s": "", "r": "!r", "a": "!a"}
# Values of ``"…" % value`` that cannot be a tuple at run time.
_SCALARS = (cst.Integer, cst.Float, cst.SimpleString, cst.FormattedString)


@dataclass(frozen=True, slots=True)
class Converted:
    """The new module text and how many strings were converted."""

    text: str
    count: int


def convert(text: str) -> Converted:
    """``text`` (a Python module) with every convertible formatting as an f-string."""
    module = cst.parse_module(text)
    converter = _Converter(module)
    after = module.visit(converter).code
    ast.parse(after)
    return Converted(after, converter.count)


@dataclass(frozen=True, slots=True)
class _Literal:
    quote: str
    value: str


def _literal(node: cst.BaseExpression) -> _Literal | None:
    """A plain one-line ``str`` literal's quote and value; None for anything else."""
    if not isinstance(node, cst.SimpleString) or node.prefix.lower() not in ("", "u"):
        return None
    if len(node.quote) != 1 or "\n" in node.value:
        return None
    value = node.evaluated_value
    return _Literal(node.quote, value) if isinstance(value, str) else None


class _Converter(cst.CSTTransformer):
    def __init__(self, module: cst.Module) -> None:
        super().__init__()
        self.module, self.count = module, 0

    def leave_BinaryOperation(
        self, original: cst.BinaryOperation, updated: cst.BaseExpression
    ) -> cst.BaseExpression:
        if not isinstance(original.operator, cst.Modulo):
            return updated
        literal = _literal(original.left)
        values = _values(original.right)
        if literal is None or values is None:
            return updated
        pieces = _percent_pieces(literal.value, [self._code(v) for v in values])
        return self._fstring(literal.quote, pieces) or updated

    def leave_Call(self, original: cst.Call, updated: cst.BaseExpression) -> cst.BaseExpression:
        func = original.func
        if not isinstance(func, cst.Attribute) or func.attr.value != "format":
            return updated
        literal = _literal(func.value)
        if literal is None or any(a.star for a in original.args):
            return updated
        positional = [a.value for a in original.args if a.keyword is None]
        named = {a.keyword.value: a.value for a in original.args if a.keyword is not None}
        pieces = _format_pieces(literal.value, positional, named, self._code)
        return self._fstring(literal.quote, pieces) or updated

    def _code(self, node: cst.BaseExpression) -> str:
        return self.module.code_for_node(node)

    def _fstring(self, quote: str, pieces: list[str | _Field] | None) -> cst.BaseExpression | None:
        if pieces is None:
            return None
        parts = []
        for piece in pieces:
            if isinstance(piece, str):
                parts.append(_escape(piece, quote))
            elif (field := piece.render(quote)) is None:
                return None
            else:
                parts.append(field)
        source = f"f{quote}{''.join(parts)}{quote}"
        try:
            ast.parse(source, mode="eval")
        except SyntaxError:
            return None
        self.count += 1
        return cst.parse_expression(source)


@dataclass(frozen=True, slots=True)
class _Field:
    """A replacement field: the expression's code, a conversion (``!r``) and a format spec."""

    code: str
    conversion: str = ""
    spec: str = ""

    def render(self, quote: str) -> str | None:
        code = self.code.strip()
        if quote in code or "\\" in code or "\n" in code or "#" in code:
            return None
        if code.startswith("{") or _top_level(code, ":!=") or code.startswith("lambda"):
            code = f"({code})"
        spec = f":{_escape(self.spec, quote)}" if self.spec else ""
        return "{" + code + self.conversion + spec + "}"


def _top_level(code: str, characters: str) -> bool:
    """Whether one of ``characters`` occurs in ``code`` outside brackets and strings."""
    depth, quote = 0, ""
    for char in code:
        if quote:
            quote = "" if char == quote else quote
        elif char in "'\"":
            quote = char
        elif char in "([{":
            depth += 1
        elif char in ")]}":
            depth -= 1
        elif depth == 0 and char in characters:
            return True
    return False


def _escape(text: str, quote: str) -> str:
    """Literal text as it is written inside an f-string with ``quote``."""
    out = []
    for char in text:
        if char in "{}":
            out.append(char * 2)
        elif char == "\\" or char == quote:
            out.append("\\" + char)
        elif char.isprintable():
            out.append(char)
        else:
            out.append(char.encode("unicode_escape").decode("ascii"))
    return "".join(out)


def _values(right: cst.BaseExpression) -> list[cst.BaseExpression] | None:
    """The values a ``%`` formats: a tuple's elements, or one value that cannot be a tuple."""
    if isinstance(right, cst.Tuple):
        if any(isinstance(e, cst.StarredElement) for e in right.elements):
            return None
        return [e.value for e in right.elements]
    return [right] if isinstance(right, _SCALARS) else None


def _percent_pieces(template: str, codes: list[str]) -> list[str | _Field] | None:
    pieces: list[str | _Field] = []
    cursor, used = 0, 0
    for match in _SPEC.finditer(template):
        pieces.append(template[cursor : match.start()])
        cursor = match.end()
        kind = match["kind"]
        if kind == "%" and match.group(0) == "%%":
            pieces.append("%")
            continue
        if match["key"] or "*" in (match["width"] or "") + (match["precision"] or ""):
            return None
        if used >= len(codes):
            return None
        field = _percent_field(codes[used], match)
        if field is None:
            return None
        pieces.append(field)
        used += 1
    pieces.append(template[cursor:])
    return pieces if used == len(codes) else None


def _percent_field(code: str, match: re.Match[str]) -> _Field | None:
    kind, flags = match["kind"], match["flags"]
    width, precision = match["width"] or "", match["precision"]
    if kind in _CONVERSIONS:
        if precision is not None or set(flags) - {"-"}:
            return None
        if not width:
            return _Field(code, _CONVERSIONS[kind])
        align = "<" if "-" in flags else ">"
        return _Field(code, _CONVERSIONS[kind] or "!s", f"{align}{width}")
    if kind not in _SAME_SPEC:
        return None
    align = "<" if "-" in flags else ""
    sign = "+" if "+" in flags else (" " if " " in flags else "")
    zero = "0" if "0" in flags and not align else ""
    alternate = "#" if "#" in flags else ""
    dot = f".{precision}" if precision is not None else ""
    return _Field(code, "", f"{align}{sign}{alternate}{zero}{width}{dot}{kind}")


def _format_pieces(
    template: str,
    positional: list[cst.BaseExpression],
    named: dict[str, cst.BaseExpression],
    code_of: Callable[[cst.BaseExpression], str],
) -> list[str | _Field] | None:
    try:
        parsed = list(string.Formatter().parse(template))
    except ValueError:
        return None
    pieces: list[str | _Field] = []
    automatic, uses = 0, dict[str, int]()
    for literal, field, spec, conversion in parsed:
        pieces.append(literal)
        if field is None:
            continue
        if spec and "{" in spec:
            return None
        head, rest = _split_field(field)
        lookups = _lookups(rest)
        if lookups is None:
            return None
        if head == "":
            head, automatic = str(automatic), automatic + 1
        value = named.get(head) if not head.isdigit() else _at(positional, int(head))
        if value is None:
            return None
        uses[head] = uses.get(head, 0) + 1
        code = code_of(value)
        if lookups and not isinstance(value, cst.Name | cst.Attribute):
            code = f"({code})"
        code += lookups
        pieces.append(_Field(code, f"!{conversion}" if conversion else "", spec or ""))
    everything = {str(i) for i in range(len(positional))} | set(named)
    if set(uses) != everything:
        return None
    if any(n > 1 and not _pure(_value(head, positional, named)) for head, n in uses.items()):
        return None
    return pieces


def _split_field(field: str) -> tuple[str, str]:
    """A format field's argument name and its lookups (``0.real`` → ``0``, ``.real``)."""
    cut = min((i for i in (field.find("."), field.find("[")) if i >= 0), default=len(field))
    return field[:cut], field[cut:]


_LOOKUP = re.compile(r"\.([A-Za-z_]\w*)|\[([^\]]+)\]")


def _lookups(rest: str) -> str | None:
    """Format-field lookups as Python: ``.name`` stays, ``[2]`` stays, ``[key]`` is ``["key"]``."""
    out, cursor = [], 0
    for match in _LOOKUP.finditer(rest):
        if match.start() != cursor:
            return None
        attribute, key = match.groups()
        if attribute is not None:
            out.append(f".{attribute}")
        elif key.isdigit():
            out.append(f"[{key}]")
        elif key.isidentifier():
            out.append(f"[{key!r}]")
        else:
            return None
        cursor = match.end()
    return "".join(out) if cursor == len(rest) else None


def _at(values: list[cst.BaseExpression], index: int) -> cst.BaseExpression | None:
    return values[index] if index < len(values) else None


def _value(
    head: str, positional: list[cst.BaseExpression], named: dict[str, cst.BaseExpression]
) -> cst.BaseExpression | None:
    return _at(positional, int(head)) if head.isdigit() else named.get(head)


def _pure(node: cst.BaseExpression | None) -> bool:
    """Whether evaluating ``node`` twice is the same as once (a name, attribute or literal)."""
    if isinstance(node, cst.Attribute):
        return _pure(node.value)
    return isinstance(node, cst.Name | cst.Integer | cst.Float | cst.SimpleString)
