"""The procedure model: one service item (政务服务事项) and its guide (办事指南).

Fields follow GB/T 39046—2020 table 4 and the platform's exchange tables (docs/catalog-format.md);
the JSON names are those of kiosk/catalog/schema/catalog-v1.schema.json. Objects are frozen:
a catalog is replaced whole on import, never edited in place.

`from_dict` trusts its input: validate with kiosk.catalog.validate first.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields, is_dataclass
from enum import StrEnum
from typing import Any

from kiosk.catalog.bundles import Bundle, bundle_from_dict


class TimeUnit(StrEnum):
    WORKING_DAYS = "working_days"
    NATURAL_DAYS = "natural_days"
    HOURS = "hours"
    MINUTES = "minutes"
    MONTHS = "months"

    @property
    def zh(self) -> str:
        return _UNIT_ZH[self]


_UNIT_ZH = {
    TimeUnit.WORKING_DAYS: "个工作日",
    TimeUnit.NATURAL_DAYS: "个自然日",
    TimeUnit.HOURS: "小时",
    TimeUnit.MINUTES: "分钟",
    TimeUnit.MONTHS: "个月",
}


class Level(StrEnum):
    VILLAGE = "village"
    TOWNSHIP = "township"
    COUNTY = "county"
    CITY = "city"
    PROVINCE = "province"

    @property
    def zh(self) -> str:
        return {"village": "村(社区)", "township": "乡镇(街道)", "county": "县级",
                "city": "市级", "province": "省级"}[self.value]


ITEM_TYPES = {
    "01": "行政许可", "02": "行政处罚", "03": "行政强制", "04": "行政征收", "05": "行政给付",
    "06": "行政检查", "07": "行政确认", "08": "行政奖励", "09": "行政裁决", "10": "其他行政权力",
    "20": "公共服务",
}
EXERCISE_LEVELS = {1: "国家级", 2: "省级", 3: "市级", 4: "县级", 5: "镇(乡、街道)级",
                   6: "村(社区)级", 7: "分级管理"}
IMPLEMENTER_NATURE = {1: "法定机关", 2: "授权组织", 3: "受委托组织", 9: "其他"}
HANDLING_TYPES = {1: "即办件", 2: "承诺件"}
HANDLING_FORMS = {1: "窗口办理", 2: "电脑端", 3: "移动端", 4: "快递"}
AUDIENCE_ZH = {"natural_person": "自然人", "legal_person": "法人"}
MATERIAL_FORM_ZH = {"paper": "纸质", "electronic": "电子", "paper_or_electronic": "纸质或电子"}
REQUIRED_ZH = {"required": "必需", "optional": "非必需", "conditional": "视情况提供"}
SOURCE_ZH = {"applicant": "申请人自备", "government": "政府部门核发",
             "intermediary": "中介机构出具", "other": "其他"}
STATUS_ZH = {"active": "在用", "suspended": "暂停", "cancelled": "取消"}


@dataclass(frozen=True)
class TimeLimit:
    value: int
    unit: TimeUnit
    note: str = ""

    @property
    def zh(self) -> str:
        """'20个工作日', or '即办' for a zero limit."""
        if self.value == 0:
            return "即办"
        return f"{self.value}{self.unit.zh}"


@dataclass(frozen=True)
class Step:
    order: int
    name: str
    actor: str = ""
    level: Level | None = None
    time_limit: TimeLimit | None = None
    description: str = ""


@dataclass(frozen=True)
class FeeItem:
    name: str
    standard: str
    basis: str = ""
    reducible: bool = False
    reduction_basis: str = ""


@dataclass(frozen=True)
class Fees:
    charged: bool
    items: tuple[FeeItem, ...] = ()


@dataclass(frozen=True)
class Channels:
    audience: tuple[str, ...]
    visits: int
    handling_type: int
    handling_forms: tuple[int, ...] = ()
    scope: str = ""
    appointment: bool = False
    online: bool = False
    online_url: str = ""
    delivery: bool = False
    self_service: bool = False
    visit_reason: str = ""


@dataclass(frozen=True)
class Implementer:
    name: str
    credit_code: str = ""
    nature: int | None = None
    joint_agencies: tuple[str, ...] = ()
    handling_agency: str = ""
    entrusting_department: str = ""


@dataclass(frozen=True)
class Place:
    name: str
    code: str = ""


@dataclass(frozen=True)
class Levels:
    accept: Level
    review: Level | None = None
    approve: Level | None = None


@dataclass(frozen=True)
class Material:
    name: str
    form: str
    original_copies: int
    copy_copies: int
    required: str
    source: str
    paper_spec: str = ""
    required_note: str = ""
    source_note: str = ""
    fill_note: str = ""
    acceptance_standard: str = ""
    blank_form: str = ""
    sample_form: str = ""
    basis: str = ""

    @property
    def counts_zh(self) -> str:
        """'原件1份，复印件2份' — the line citizens check against what they brought."""
        parts = []
        if self.original_copies:
            parts.append(f"原件{self.original_copies}份")
        if self.copy_copies:
            parts.append(f"复印件{self.copy_copies}份")
        return "，".join(parts) or "现场核验"


@dataclass(frozen=True)
class Form:
    id: str
    title: str
    kind: str
    file: str
    pages: int | None = None


@dataclass(frozen=True)
class Faq:
    question: str
    answer: str


@dataclass(frozen=True)
class Result:
    name: str = ""
    sample: str = ""


@dataclass(frozen=True)
class Item:
    """One service item and its guide."""

    code: str
    name: str
    item_type: str
    implementer: Implementer
    department: str
    legal_limit: TimeLimit
    promised_limit: TimeLimit
    steps: tuple[Step, ...]
    fees: Fees
    channels: Channels
    location: str
    hours: str
    consult_phone: str
    levels: Levels
    materials: tuple[Material, ...]
    basic_code: str = ""
    short_name: str = ""
    exercise_level: int | None = None
    power_source: str = ""
    item_version: str = ""
    status: str = "active"
    legal_basis: str = ""
    conditions: tuple[str, ...] = ()
    special_procedures: str = ""
    quantity_limit: str = ""
    result: Result = field(default_factory=Result)
    complaint_phone: str = ""
    guide_url: str = ""
    township: Place | None = None
    village: Place | None = None
    forms: tuple[Form, ...] = ()
    faq: tuple[Faq, ...] = ()
    themes: tuple[str, ...] = ()
    life_events: tuple[str, ...] = ()
    aliases: tuple[str, ...] = ()
    keywords: tuple[str, ...] = ()
    popularity: int = 0

    @property
    def item_type_zh(self) -> str:
        return ITEM_TYPES.get(self.item_type, self.item_type)

    @property
    def visits_zh(self) -> str:
        """'最多跑一次' style wording citizens know. Zero visits is not always online: the
        village applies for the household, or staff come to the door (光荣牌, 地力补贴)."""
        v = self.channels.visits
        if v == 0:
            return "全程网办，零跑动" if self.channels.online else "零跑动"
        return f"最多跑{_ZH_DIGITS.get(v, str(v))}次"

    def form(self, form_id: str) -> Form | None:
        return next((f for f in self.forms if f.id == form_id), None)


_ZH_DIGITS = {1: "一", 2: "两", 3: "三", 4: "四", 5: "五"}


@dataclass(frozen=True)
class Theme:
    name: str
    audience: str
    icon: str = ""


@dataclass(frozen=True)
class LifeEvent:
    name: str
    icon: str = ""


@dataclass(frozen=True)
class Synonym:
    term: str
    means: tuple[str, ...]


@dataclass(frozen=True)
class CatalogMeta:
    catalog_version: str
    published: str
    publisher: str
    format_version: int = 1
    region: Place | None = None
    themes: tuple[Theme, ...] = ()
    life_events: tuple[LifeEvent, ...] = ()
    synonyms: tuple[Synonym, ...] = ()
    bundles: tuple[Bundle, ...] = ()         # 一件事 (kiosk/catalog/bundles.py)


# ---- conversion ------------------------------------------------------------------------------


def _time_limit(d: dict[str, Any] | None) -> TimeLimit | None:
    if d is None:
        return None
    return TimeLimit(value=d["value"], unit=TimeUnit(d["unit"]), note=d.get("note", ""))


def _level(v: str | None) -> Level | None:
    return Level(v) if v else None


def _tuple(d: dict[str, Any], key: str) -> tuple[Any, ...]:
    return tuple(d.get(key, ()))


def _step(d: dict[str, Any]) -> Step:
    return Step(order=d["order"], name=d["name"], actor=d.get("actor", ""),
                level=_level(d.get("level")), time_limit=_time_limit(d.get("time_limit")),
                description=d.get("description", ""))


def _place(d: dict[str, Any] | None) -> Place | None:
    return Place(name=d["name"], code=d.get("code", "")) if d else None


def _fees(d: dict[str, Any]) -> Fees:
    return Fees(charged=d["charged"], items=tuple(FeeItem(**f) for f in d.get("items", ())))


def _channels(d: dict[str, Any]) -> Channels:
    kw = dict(d)
    kw["audience"] = tuple(d["audience"])
    kw["handling_forms"] = tuple(d.get("handling_forms", ()))
    return Channels(**kw)


def _implementer(d: dict[str, Any]) -> Implementer:
    kw = dict(d)
    kw["joint_agencies"] = tuple(d.get("joint_agencies", ()))
    return Implementer(**kw)


def _levels(d: dict[str, Any]) -> Levels:
    return Levels(accept=Level(d["accept"]), review=_level(d.get("review")),
                  approve=_level(d.get("approve")))


def item_from_dict(d: dict[str, Any]) -> Item:
    """Build an Item from one schema-valid `items[]` entry."""
    simple = {k: v for k, v in d.items() if k in _SIMPLE_ITEM_FIELDS}
    return Item(
        **simple,
        implementer=_implementer(d["implementer"]),
        legal_limit=_time_limit(d["legal_limit"]),  # type: ignore[arg-type]
        promised_limit=_time_limit(d["promised_limit"]),  # type: ignore[arg-type]
        steps=tuple(sorted((_step(s) for s in d["steps"]), key=lambda s: s.order)),
        fees=_fees(d["fees"]),
        channels=_channels(d["channels"]),
        levels=_levels(d["levels"]),
        materials=tuple(Material(**m) for m in d["materials"]),
        result=Result(**d.get("result", {})),
        township=_place(d.get("township")),
        village=_place(d.get("village")),
        forms=tuple(Form(**f) for f in d.get("forms", ())),
        faq=tuple(Faq(**q) for q in d.get("faq", ())),
        conditions=_tuple(d, "conditions"),
        themes=_tuple(d, "themes"),
        life_events=_tuple(d, "life_events"),
        aliases=_tuple(d, "aliases"),
        keywords=_tuple(d, "keywords"),
    )


_SIMPLE_ITEM_FIELDS = {
    "code", "name", "item_type", "department", "location", "hours", "consult_phone",
    "basic_code", "short_name", "exercise_level", "power_source", "item_version", "status",
    "legal_basis", "special_procedures", "quantity_limit", "complaint_phone", "guide_url",
    "popularity",
}


def meta_from_dict(d: dict[str, Any]) -> CatalogMeta:
    """Build the catalog's metadata (everything but the items) from a schema-valid document."""
    cats = d.get("categories", {})
    return CatalogMeta(
        catalog_version=d["catalog_version"],
        published=d["published"],
        publisher=d["publisher"],
        format_version=d.get("format_version", 1),
        region=_place(d.get("region")),
        themes=tuple(Theme(**t) for t in cats.get("themes", ())),
        life_events=tuple(LifeEvent(**e) for e in cats.get("life_events", ())),
        synonyms=tuple(Synonym(term=s["term"], means=tuple(s["means"]))
                       for s in d.get("synonyms", ())),
        bundles=tuple(bundle_from_dict(b) for b in d.get("bundles", ())),
    )


def to_dict(obj: Any) -> Any:
    """The JSON form of any model object (inverse of the *_from_dict functions); empty
    optional fields are left out so a round trip stays schema-valid and compact."""
    if is_dataclass(obj) and not isinstance(obj, type):
        out: dict[str, Any] = {}
        for f in fields(obj):
            value = getattr(obj, f.name)
            if value is None or value == "" or value == () or value == Result():
                continue
            out[f.name] = to_dict(value)
        return out
    if isinstance(obj, tuple | list):
        return [to_dict(v) for v in obj]
    if isinstance(obj, StrEnum):
        return obj.value
    return obj
