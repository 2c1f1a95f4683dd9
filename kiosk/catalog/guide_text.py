"""An item as a plain-text 办事指南 (service guide), in Chinese, with every field it has.

Why plain text: `kiosk show CODE` is how staff and engineers check what the kiosk will tell a
citizen, on any terminal, before a screen or printout exists. Sections follow the order of a
printed county guide; empty sections are left out and the rest are numbered 一、二、三….
"""

from __future__ import annotations

from collections.abc import Iterable

from kiosk.catalog.model import (
    AUDIENCE_ZH,
    EXERCISE_LEVELS,
    HANDLING_FORMS,
    HANDLING_TYPES,
    IMPLEMENTER_NATURE,
    MATERIAL_FORM_ZH,
    REQUIRED_ZH,
    SOURCE_ZH,
    STATUS_ZH,
    Item,
    Material,
    Step,
    TimeLimit,
)

_NUMERALS = "一二三四五六七八九十"
Section = tuple[str, list[str]]


def _yes(flag: bool) -> str:
    return "是" if flag else "否"


def _join(parts: Iterable[str], sep: str = "、") -> str:
    return sep.join(p for p in parts if p)


def _pairs(*pairs: tuple[str, str]) -> list[str]:
    """'label：value' lines, skipping empty values."""
    return [f"{label}：{value}" for label, value in pairs if value]


def _limit(t: TimeLimit) -> str:
    return t.zh + (f"（{t.note}）" if t.note else "")


def _identity(item: Item) -> list[str]:
    imp = item.implementer
    nature = IMPLEMENTER_NATURE.get(imp.nature, "") if imp.nature else ""
    level = EXERCISE_LEVELS.get(item.exercise_level, "") if item.exercise_level else ""
    return _pairs(
        ("事项名称", item.name), ("简称", item.short_name), ("实施编码", item.code),
        ("基本编码", item.basic_code), ("事项类型", item.item_type_zh), ("行使层级", level),
        ("权力来源", item.power_source), ("事项版本", item.item_version),
        ("事项状态", STATUS_ZH.get(item.status, item.status)),
        ("实施主体", imp.name), ("统一社会信用代码", imp.credit_code),
        ("实施主体性质", nature), ("承办机构", imp.handling_agency),
        ("联办机构", _join(imp.joint_agencies)), ("委托部门", imp.entrusting_department),
        ("办理部门", item.department),
        ("所属乡镇（街道）", _place(item.township)), ("所属村（社区）", _place(item.village)),
    )


def _place(p: object) -> str:
    if p is None:
        return ""
    name, code = getattr(p, "name", ""), getattr(p, "code", "")
    return f"{name}（{code}）" if code else str(name)


def _material_lines(n: int, m: Material, item: Item) -> list[str]:
    head = f"{n}. {m.name}（{REQUIRED_ZH.get(m.required, m.required)}）"
    form = MATERIAL_FORM_ZH.get(m.form, m.form)
    lines = [head, f"   {_join([form, m.counts_zh, m.paper_spec], '，')}"]
    source = SOURCE_ZH.get(m.source, m.source) + (f"（{m.source_note}）" if m.source_note else "")
    lines += [f"   {line}" for line in _pairs(
        ("何时需要", m.required_note), ("来源渠道", source), ("填报须知", m.fill_note),
        ("受理标准", m.acceptance_standard), ("空白表格", _form(item, m.blank_form)),
        ("示例样表", _form(item, m.sample_form)), ("依据", m.basis))]
    return lines


def _form(item: Item, form_id: str) -> str:
    if not form_id:
        return ""
    f = item.form(form_id)
    return f"{f.title}（{f.file}）" if f else form_id


def _materials(item: Item) -> list[str]:
    out: list[str] = []
    for n, m in enumerate(item.materials, 1):
        out += _material_lines(n, m, item)
    return out


def _step_line(s: Step) -> list[str]:
    where = _join([s.actor, s.level.zh if s.level else ""], "，")
    head = f"{s.order}. {s.name}" + (f"：{where}" if where else "")
    if s.time_limit is not None:
        head += f"，{_limit(s.time_limit)}"
    return [head] + ([f"   {s.description}"] if s.description else [])


def _levels(item: Item) -> str:
    lv = item.levels
    parts = [f"{lv.accept.zh}受理"]
    if lv.review:
        parts.append(f"{lv.review.zh}审核")
    if lv.approve:
        parts.append(f"{lv.approve.zh}审批")
    return "、".join(parts)


def _fees(item: Item) -> list[str]:
    if not item.fees.charged:
        return ["不收费"]
    out = ["收费"]
    for f in item.fees.items:
        out.append(f"· {f.name}：{f.standard}")
        out += [f"  {line}" for line in _pairs(
            ("收费依据", f.basis), ("是否允许减免", _yes(f.reducible)),
            ("减免依据", f.reduction_basis))]
    return out


def _channels(item: Item) -> list[str]:
    c = item.channels
    visits = item.visits_zh + (f"（{c.visit_reason}）" if c.visit_reason else "")
    return _pairs(
        ("服务对象", _join(AUDIENCE_ZH.get(a, a) for a in c.audience)),
        ("办件类型", HANDLING_TYPES.get(c.handling_type, str(c.handling_type))),
        ("办理形式", _join(HANDLING_FORMS.get(f, str(f)) for f in c.handling_forms)),
        ("到办事现场次数", visits), ("通办范围", c.scope),
        ("是否支持预约办理", _yes(c.appointment)),
        ("是否网办", _yes(c.online) + (f"（{c.online_url}）" if c.online_url else "")),
        ("是否支持物流快递", _yes(c.delivery)), ("是否支持自助终端办理", _yes(c.self_service)),
    )


def _findability(item: Item) -> list[str]:
    return _pairs(
        ("服务主题", _join(item.themes)), ("人生事件", _join(item.life_events)),
        ("别名", _join(item.aliases)), ("关键词", _join(item.keywords)),
        ("热度", str(item.popularity)), ("在线办事指南", item.guide_url),
    )


def _sections(item: Item) -> list[Section]:
    faq = [line for q in item.faq for line in (f"问：{q.question}", f"答：{q.answer}")]
    return [
        ("基本信息", _identity(item)),
        ("受理条件", [f"{n}. {c}" for n, c in enumerate(item.conditions, 1)]),
        ("申请材料", _materials(item)),
        ("办理流程", [line for s in item.steps for line in _step_line(s)]),
        ("受理、审核、审批层级", [_levels(item)]),
        ("办理时限", _pairs(("法定办结时限", _limit(item.legal_limit)),
                         ("承诺办结时限", _limit(item.promised_limit)))),
        ("收费标准", _fees(item)),
        ("办理方式", _channels(item)),
        ("办理地点和时间", _pairs(("办理地点", item.location), ("办理时间", item.hours),
                              ("咨询电话", item.consult_phone),
                              ("监督投诉电话", item.complaint_phone))),
        ("办理结果", _pairs(("结果名称", item.result.name), ("结果样本", item.result.sample))),
        ("设定依据", item.legal_basis.splitlines()),
        ("特别程序", [item.special_procedures] if item.special_procedures else []),
        ("数量限制", [item.quantity_limit] if item.quantity_limit else []),
        ("空白表格和示例样表", [f"{f.title}（{'空白表格' if f.kind == 'blank' else '示例样表'}，"
                          f"{f.file}" + (f"，{f.pages}页" if f.pages else "") + "）"
                          for f in item.forms]),
        ("常见问题", faq),
        ("查找信息", _findability(item)),
    ]


def _numeral(n: int) -> str:
    if n <= 10:
        return _NUMERALS[n - 1]
    tens, ones = divmod(n, 10)
    return (_NUMERALS[tens - 1] if tens > 1 else "") + "十" + (_NUMERALS[ones - 1] if ones else "")


def guide_text(item: Item) -> str:
    """The whole guide as text, one section per heading."""
    lines = [f"【{item.name}】办事指南", ""]
    shown = [(title, body) for title, body in _sections(item) if body]
    for n, (title, body) in enumerate(shown, 1):
        lines.append(f"{_numeral(n)}、{title}")
        lines += [f"  {line}" for line in body]
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"


__all__ = ["guide_text"]
