"""一件事: a bundle of errands on screen and its combined checklist."""

from __future__ import annotations

PRINT = "打印合并清单"
PRINT_SUB = "所有材料合在一张小票上"
ORDER = "按这个顺序办"
BRING = "请带齐这些材料（每样只列一次）"
GIVEN = "办的过程中会拿到，不用另带"
PRINTING_TITLE = "正在打印清单"
PRINTING = "请稍候，打印好后请从出纸口取走。"
PRINTED_TITLE = "打印好了"
PRINTED = "请从出纸口取走清单：按上面的顺序一件一件办，备好的材料打个勾。"
NOT_PRINTED_TITLE = "没有打印出来"
GONE_TITLE = "没有找到这件事"
GONE = "目录已经更新，请重新查找，或到服务台咨询工作人员。"
CONDITIONAL = "（视情况提供）"


def row_title(name: str) -> str:
    return f"一件事：{name}"


def row_right(n: int) -> str:
    return f"{n}件事一次问清"


def step_line(n: int, name: str) -> str:
    return f"{n}. {name}（点此看办事指南）"


def where(location: str) -> str:
    return f"地点：{location}"


def material(name: str, conditional: bool) -> str:
    return f"□ {name}" + (CONDITIONAL if conditional else "")


def given(name: str, detail: str) -> str:
    return f"· {name}：{detail}"


# ---- browsing (the lists that lead to guides and bundles) ------------------------------------
AUDIENCE = {"natural_person": "", "legal_person": "企业和单位办理"}


def visits(n: int) -> str:
    """A list row's right column: how many times one comes to the hall."""
    if n == 0:
        return "不用来大厅"
    return "来一次办完" if n == 1 else f"最多来{n}次"
