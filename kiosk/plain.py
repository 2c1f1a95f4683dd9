"""Plain words for the catalog's official terms, where a farmer reads them: the guide on
screen (screens/guide_content.py) and on paper (kiosk/receipts/guide.py) say the same thing.

The catalog keeps the standard's wording (GB/T 39046: 来源渠道 政府部门核发, 到办事现场次数,
承诺办结时限 0 = 即办); a citizen needs "who gives you this", "how many times you come",
"done on the spot". Reviewed together with the flows' messages modules.
"""

from __future__ import annotations

from kiosk.catalog.model import Item, Material, Step, TimeLimit

SOURCE = {"applicant": "自己准备", "government": "政府部门发的", "intermediary": "中介机构出具",
          "other": ""}
REQUIRED_NOTE = {"optional": "（有就带上）", "conditional": "（视情况提供）"}


def material_counts(m: Material) -> str:
    """'带原件1份，复印件1份（用A4纸复印）' — a bare 规格：A4 meant nothing to a citizen."""
    parts = []
    if m.original_copies:
        parts.append(f"原件{m.original_copies}份")
    if m.copy_copies:
        copy = f"复印件{m.copy_copies}份"
        if m.paper_spec:
            copy += f"（用{m.paper_spec}纸复印）" if m.paper_spec.upper().startswith("A") \
                else f"（{m.paper_spec}）"
        parts.append(copy)
    elif m.paper_spec and parts:        # '带3份（二寸）', never a bare 规格：二寸
        parts[-1] = parts[-1].replace("原件", "") + f"（{_spec(m.paper_spec)}）"
    return ("带" + "，".join(parts)) if parts else "现场核验，不用带"


def _spec(spec: str) -> str:
    return f"{spec}纸" if spec.upper().startswith("A") else spec


ISSUED = (("核发", "发"), ("签发", "开"), ("颁发", "发"), ("出具", "开"))
"""Official verbs of who issues a paper, and the ones a farmer says."""


def material_source(m: Material) -> str:
    """'公安机关发的' / '您自己准备' / '' — who gives it to you, in a few words (the catalog's
    '公安机关核发' read as an office's stamp, and '在哪里办：…' as if it had to be applied for)."""
    note = m.source_note
    if not note:
        return SOURCE.get(m.source, "")
    return "，".join(map(_said, note.split("，"))).replace("申请人", "您").replace("本人", "您")


def _said(part: str) -> str:
    for official, said in ISSUED:
        if part.endswith(official):
            return part[:-len(official)] + said + "的"
    return part


def material_name(m: Material) -> str:
    return m.name + REQUIRED_NOTE.get(m.required, "")


def limit(tl: TimeLimit) -> str:
    """'当场办好' for 即办 (a zero limit), else '20个工作日内办好'."""
    if tl.value == 0:
        return "当场办好"
    return f"{tl.value}{tl.unit.zh}内办好"


def visits(item: Item) -> str:
    """到办事现场次数 in plain words: 零跑动 / 最多跑一次 said with what they mean."""
    v = item.channels.visits
    if v == 0:
        return ("不用来大厅：可以在网上办，或由村（社区）代办" if item.channels.online
                else "不用来大厅：由村（社区）或工作人员代办")
    if v == 1:
        return "最多来一次：材料带齐，来一次就能办完"
    return f"最多来{v}次"


def step_line(i: int, step: Step) -> str:
    """'1. 受理（镇民政窗口），当场办' — no 乡镇(街道) level code, no 时限：即办."""
    line = f"{i}. {step.name}"
    if step.actor:
        line += f"（{step.actor}）"
    if step.time_limit is not None:
        line += "，当场办" if step.time_limit.value == 0 else f"，{step.time_limit.zh}内"
    return line
