"""Every word a citizen reads in the visit's flows is in their messages modules (issue 17:
"every citizen string in one place per flow, reviewed together"): the screens of home, the idle
warning, the card prompt, the queue flow, the ticket on screen and the guide hold no Chinese
text of their own."""

from __future__ import annotations

import ast
import re

from tests.conftest import REPO

FLOWS = ("screens/home.py", "screens/idle.py", "screens/card_prompt.py",
         "screens/queue_flow.py", "screens/ticket_taken.py", "screens/guide.py",
         "screens/guide_content.py", "screens/bundle.py")
CJK = re.compile(r"[\u4e00-\u9fff]")


def _texts(source: str) -> list[tuple[int, str]]:
    tree = ast.parse(source)
    docs = {id(n.body[0].value) for n in ast.walk(tree)
            if isinstance(n, ast.Module | ast.ClassDef | ast.FunctionDef)
            and n.body and isinstance(n.body[0], ast.Expr)}
    return [(n.lineno, n.value) for n in ast.walk(tree)
            if isinstance(n, ast.Constant) and isinstance(n.value, str) and id(n) not in docs]


def test_flow_screens_hold_no_citizen_words() -> None:
    found = []
    for rel in FLOWS:
        path = REPO / rel
        if not path.exists():
            continue
        found += [f"{rel}:{line}: {text}" for line, text in _texts(path.read_text("utf-8"))
                  if CJK.search(text)]
    assert found == [], "move into screens/messages/<flow>.py:\n" + "\n".join(found)


def test_one_name_for_the_service_desk() -> None:
    """服务台 on screen and on the slip, not sometimes 服务窗口 / 窗口咨询."""
    texts = []
    for path in (REPO / "screens" / "messages").glob("*.py"):
        texts += [t for _, t in _texts(path.read_text("utf-8"))]
    for path in (REPO / "kiosk" / "receipts").glob("*.py"):
        texts += [t for _, t in _texts(path.read_text("utf-8"))]
    bad = [t for t in texts if "服务窗口" in t or "到窗口咨询" in t]
    assert bad == []
