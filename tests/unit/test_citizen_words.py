"""The words that send a citizen to the staff ("请联系大厅工作人员", "请到服务窗口咨询" …) live in
the per-flow message modules, where their wording is reviewed — not scattered through code."""

from __future__ import annotations

import ast
from pathlib import Path

from tests.conftest import REPO

REFERRALS = ("联系大厅工作人员", "联系工作人员", "咨询工作人员", "找工作人员", "服务窗口",
             "请到窗口")
MESSAGE_MODULES = {"kiosk/messages.py", "kiosk/queue/messages.py", "devices/messages.py",
                   # the A4 printer's IPP-reason table is its wording module
                   "devices/document_printer/reasons.py"}
MESSAGE_PACKAGES = ("screens/messages/",
                    # what is printed on paper is laid out (and worded) with the slip
                    "kiosk/receipts/",
                    # maintenance mode speaks to staff, not to citizens
                    "kiosk/maintenance/", "screens/maint/")


def _strings(path: Path) -> list[tuple[int, str]]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docstrings = {id(n.body[0].value) for n in ast.walk(tree)
                  if isinstance(n, ast.Module | ast.ClassDef | ast.FunctionDef)
                  and n.body and isinstance(n.body[0], ast.Expr)
                  and isinstance(n.body[0].value, ast.Constant)}
    return [(n.lineno, n.value) for n in ast.walk(tree)
            if isinstance(n, ast.Constant) and isinstance(n.value, str)
            and id(n) not in docstrings]


def test_staff_referrals_only_in_message_modules() -> None:
    found = []
    for top in ("kiosk", "devices", "screens"):
        for path in sorted((REPO / top).rglob("*.py")):
            rel = path.relative_to(REPO).as_posix()
            if rel in MESSAGE_MODULES or rel.startswith(MESSAGE_PACKAGES):
                continue
            found += [f"{rel}:{line}: {text}" for line, text in _strings(path)
                      if any(word in text for word in REFERRALS)]
    assert found == [], "move these into the flow's message module:\n" + "\n".join(found)


def test_one_path_from_an_exception_to_the_citizen() -> None:
    """kiosk.errors.citizen_message_of is the one way to read an exception's words."""
    found = []
    for top in ("kiosk", "devices", "screens", "township", "hall", "county"):
        for path in sorted((REPO / top).rglob("*.py")):
            if path.relative_to(REPO).as_posix() == "kiosk/errors.py":
                continue
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
                        and node.func.id == "getattr" and len(node.args) >= 2
                        and isinstance(node.args[1], ast.Constant)
                        and node.args[1].value == "citizen_message"):
                    found.append(f"{path.relative_to(REPO)}:{node.lineno}")
    assert found == [], "use kiosk.errors.citizen_message_of: " + ", ".join(found)
