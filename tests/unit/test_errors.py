"""One exception tree: every exception class naba defines lives in errors.py and is drawn in its docstring."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import naba.errors

SRC = Path(naba.errors.__file__).parent


def _is_exception_base(base: ast.expr) -> bool:
    name = base.id if isinstance(base, ast.Name) else base.attr if isinstance(base, ast.Attribute) else ""
    return name.endswith(("Error", "Exception"))


def test_exception_classes_live_in_errors_py() -> None:
    outside = [
        f"{path.relative_to(SRC)}:{node.lineno} {node.name}"
        for path in sorted(SRC.rglob("*.py"))
        if path.name != "errors.py" or path.parent != SRC
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(node, ast.ClassDef) and any(_is_exception_base(b) for b in node.bases)
    ]
    assert outside == []


def test_every_error_is_drawn_in_the_tree() -> None:
    tree = naba.errors.__doc__ or ""
    classes = [
        name
        for name, value in vars(naba.errors).items()
        if isinstance(value, type) and issubclass(value, naba.errors.NabaError)
    ]
    assert [name for name in classes if not re.search(rf"^\s*(?:[│├└─ ]+ )?{name}\b", tree, re.M)] == []
