"""Rename a Python symbol across files (libcst), keeping the programs' meaning.

Every identifier ``old`` becomes ``new`` in the files given: names, definitions, parameters,
``global``/``nonlocal``, and ``__all__`` entries; bare names only in files that bind ``old``
(in another file a bare ``old`` is a builtin or comes from elsewhere). Attribute names (``x.old``) and keyword
arguments (``f(old=…)``) follow only when something in the files defines ``old`` as an
attribute or a parameter. An import of ``old`` from a module outside the files keeps the
imported name and binds it ``as new``; module names in ``import``/``from`` are never touched.

Refused (``ActionFailed``, with the reason): ``new`` is not an identifier or is a keyword;
``new`` is already used in one of the files (it would capture or be captured); ``old`` does not
occur, or is not defined in the files (a builtin or an import would break).
"""

from __future__ import annotations

import ast
import keyword
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import PurePosixPath

import libcst as cst

from accord.agents.exceptions import ActionFailed

__all__ = ["rename"]


@dataclass(frozen=True, slots=True)
class _Uses:
    """How ``old`` is used across the files."""

    defined: bool
    attribute: bool
    parameter: bool
    occurs: bool


def rename(files: Mapping[str, str], old: str, new: str) -> dict[str, str]:
    """The files whose text changes, with their new text (``files``: path → Python source).

    Raises:
        ActionFailed: the rename is refused (see the module docs) or a file does not parse.
    """
    if not new.isidentifier() or keyword.iskeyword(new):
        raise ActionFailed(f"{new!r} is not a Python identifier")
    trees = {path: _parse(path, text) for path, text in files.items()}
    for path, tree in trees.items():
        if line := _first_use(tree, new):
            raise ActionFailed(f"{new} is already used in {PurePosixPath(path).name}:{line}")
    uses = _uses(trees.values(), old)
    if not uses.occurs:
        raise ActionFailed(f"{old} does not occur in the files in scope")
    if not uses.defined:
        raise ActionFailed(f"{old} is not defined in the files in scope (a builtin or import)")
    local = {PurePosixPath(path).stem for path in files}
    changed = {}
    for path, text in files.items():
        binds = _uses([trees[path]], old).defined
        renamer = _Renamer(old, new, binds, uses.attribute, uses.parameter, local)
        after = cst.parse_module(text).visit(renamer).code
        if after != text:
            changed[path] = after
    return changed


def _parse(path: str, text: str) -> ast.Module:
    try:
        return ast.parse(text)
    except SyntaxError as error:
        raise ActionFailed(f"{path} does not parse: {error.msg} (line {error.lineno})") from error


def _first_use(tree: ast.Module, name: str) -> int | None:
    """The first line where ``name`` is bound, read, defined or an attribute; None if nowhere."""
    for node in ast.walk(tree):
        if _names(node) & {name}:
            return getattr(node, "lineno", 1)
    return None


def _names(node: ast.AST) -> set[str]:
    if isinstance(node, ast.Name):
        return {node.id}
    if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
        return {node.name}
    if isinstance(node, ast.arg):
        return {node.arg}
    if isinstance(node, ast.Attribute):
        return {node.attr}
    if isinstance(node, ast.alias):
        return {node.asname or node.name.split(".")[0]}
    if isinstance(node, ast.Global | ast.Nonlocal):
        return set(node.names)
    if isinstance(node, ast.keyword) and node.arg:
        return {node.arg}
    return set()


def _uses(trees: Iterable[ast.Module], old: str) -> _Uses:
    defined = attribute = parameter = occurs = False
    for tree in trees:
        for node in ast.walk(tree):
            occurs = occurs or old in _names(node)
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
                defined = defined or node.name == old
            elif isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store | ast.Del):
                defined = defined or node.id == old
            elif isinstance(node, ast.arg) and node.arg == old:
                defined = parameter = True
            elif isinstance(node, ast.alias) and (node.asname or node.name) == old:
                defined = True
            elif isinstance(node, ast.Attribute) and isinstance(node.ctx, ast.Store):
                attribute = attribute or node.attr == old
                defined = defined or node.attr == old
    return _Uses(defined, attribute or defined, parameter, occurs)


class _Renamer(cst.CSTTransformer):
    """Renames bare names only in a file that binds ``old`` (elsewhere a bare ``old`` is a
    builtin or another module's); attributes and keywords wherever they are allowed."""

    def __init__(
        self, old: str, new: str, names: bool, attributes: bool, keywords: bool, local: set[str]
    ) -> None:
        super().__init__()
        self.old, self.new = old, new
        self.names, self.attributes, self.keywords, self.local = names, attributes, keywords, local

    def leave_Name(self, original: cst.Name, updated: cst.Name) -> cst.Name:
        if self.names and updated.value == self.old:
            return updated.with_changes(value=self.new)
        return updated

    def leave_Attribute(self, original: cst.Attribute, updated: cst.Attribute) -> cst.Attribute:
        renamed = self.attributes and original.attr.value == self.old
        return updated.with_changes(attr=cst.Name(self.new) if renamed else original.attr)

    def leave_Arg(self, original: cst.Arg, updated: cst.Arg) -> cst.Arg:
        if original.keyword is None:
            return updated
        renamed = self.keywords and original.keyword.value == self.old
        return updated.with_changes(keyword=cst.Name(self.new) if renamed else original.keyword)

    def leave_Import(self, original: cst.Import, updated: cst.Import) -> cst.Import:
        names = [self._outside(o, u) for o, u in zip(original.names, updated.names, strict=True)]
        return updated.with_changes(names=names)

    def leave_ImportFrom(self, original: cst.ImportFrom, updated: cst.ImportFrom) -> cst.ImportFrom:
        updated = updated.with_changes(module=original.module)
        if isinstance(updated.names, cst.ImportStar) or self._is_local(original):
            return updated
        assert not isinstance(original.names, cst.ImportStar)
        names = [self._outside(o, u) for o, u in zip(original.names, updated.names, strict=True)]
        return updated.with_changes(names=names)

    def leave_Assign(self, original: cst.Assign, updated: cst.Assign) -> cst.Assign:
        targets = [t.target for t in updated.targets]
        if any(isinstance(t, cst.Name) and t.value == "__all__" for t in targets):
            return updated.with_changes(value=updated.value.visit(_AllEntries(self.old, self.new)))
        return updated

    def _is_local(self, node: cst.ImportFrom) -> bool:
        """Whether the import is from one of the files (a relative or same-named module)."""
        if node.relative:
            return True
        module = node.module
        if isinstance(module, cst.Attribute):
            return module.attr.value in self.local
        return module is not None and module.value in self.local

    def _outside(self, original: cst.ImportAlias, updated: cst.ImportAlias) -> cst.ImportAlias:
        """An imported name keeps its module's spelling; only its local binding is renamed."""
        name = original.name
        bound = name.value if isinstance(name, cst.Name) else None
        if original.asname is None and bound == self.old:
            return updated.with_changes(name=name, asname=cst.AsName(name=cst.Name(self.new)))
        return updated.with_changes(name=name)


class _AllEntries(cst.CSTTransformer):
    def __init__(self, old: str, new: str) -> None:
        super().__init__()
        self.old, self.new = old, new

    def leave_SimpleString(
        self, original: cst.SimpleString, updated: cst.SimpleString
    ) -> cst.SimpleString:
        if updated.evaluated_value == self.old:
            quote = updated.quote
            return updated.with_changes(value=f"{updated.prefix}{quote}{self.new}{quote}")
        return updated
