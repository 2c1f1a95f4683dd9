"""A minimal synthetic catalog for the search benchmark, used only while
`kiosk.catalog.generate.generate_document` (the real generator, on another branch) is not in
main. It makes the summary fields search reads: varied names, aliases, keywords, materials,
steps, department, popularity; not a full schema-valid guide."""

from __future__ import annotations

import random
from typing import Any

OBJECTS = ["高龄津贴", "最低生活保障", "特困人员救助供养", "临时救助", "残疾人护理补贴",
           "困难残疾人生活补贴", "城乡居民基本养老保险", "城乡居民基本医疗保险", "生育登记",
           "农村宅基地和建房", "老年人优待证", "残疾人证", "就业登记", "失业登记",
           "灵活就业人员社保", "独生子女父母奖励扶助", "退役军人优待", "居住证", "户口迁移",
           "林木采伐许可", "农机购置补贴", "耕地地力保护补贴", "危房改造", "村级公益事业",
           "重度残疾人护理", "长期护理保险", "银行代发", "乐龄服务", "传染病防治", "种畜禽生产",
           "殡葬补助", "孕产妇补助", "义务兵家庭优待金", "计划生育家庭特别扶助",
           "小额担保贷款", "土地承包经营权流转", "水利工程建设", "农村公路养护"]
ACTIONS = ["申请", "审核", "确认", "登记", "发放", "变更", "注销", "审批", "备案", "领取",
           "核定", "补办", "续期", "转移接续", "资格认定"]
QUALIFIERS = ["", "", "", "（村级代办）", "（镇级审核）", "服务", "信息查询", "证明"]
TOWNS = ["青山", "清河", "白石", "桃园", "柳湾", "东营", "南关", "北岗", "西河", "杏林"]
DEPARTMENTS = ["民政办", "社保所", "便民服务中心", "退役军人服务站", "农业服务中心",
               "自然资源所", "卫生健康办", "派出所", "司法所", "水利站"]
MATERIALS = ["居民身份证", "户口簿", "申请表", "银行卡或存折", "收入证明", "残疾人证",
             "结婚证", "出生医学证明", "退役证", "房屋产权证明", "村委会证明", "医疗诊断书",
             "一寸免冠照片", "委托书", "劳动合同", "土地承包合同", "建房设计图"]
STEPS = ["申请", "受理", "审核", "审批", "公示", "办结", "送达", "入户调查", "民主评议"]
KEYWORDS = ["补贴", "老人", "救助", "养老", "医保", "建房", "残疾", "就业", "生孩子", "上户口",
            "困难", "退伍", "种地", "看病"]
ALIASES = {"最低生活保障": ["低保"], "高龄津贴": ["高龄补贴", "老人补贴"],
           "城乡居民基本养老保险": ["养老保险", "农村养老保险"], "残疾人证": ["残疾证"],
           "农村宅基地和建房": ["盖房子", "建房审批"], "生育登记": ["准生证", "生孩子登记"]}
SYNONYMS = [{"term": "低保", "means": ["最低生活保障"]},
            {"term": "养老钱", "means": ["城乡居民基本养老保险待遇", "养老保险"]},
            {"term": "盖房子", "means": ["宅基地和建房", "建房"]},
            {"term": "残疾证", "means": ["残疾人证"]},
            {"term": "上户口", "means": ["户口", "出生登记"]}]


def _item(rng: random.Random, i: int) -> dict[str, Any]:
    obj = rng.choice(OBJECTS)
    town = rng.choice(TOWNS)
    prefix = rng.choice(["", "", "", f"{town}镇", "80周岁以上", "60周岁以上", "村民"])
    name = f"{prefix}{obj}{rng.choice(ACTIONS)}{rng.choice(QUALIFIERS)}"
    steps = rng.sample(STEPS, rng.randint(3, 6))
    return {"code": f"G{i:08d}", "name": name, "department": rng.choice(DEPARTMENTS),
            "aliases": ALIASES.get(obj, []), "keywords": rng.sample(KEYWORDS, 3),
            "themes": [], "life_events": [],
            "materials": [{"name": m} for m in rng.sample(MATERIALS, rng.randint(3, 9))],
            "steps": [{"order": k + 1, "name": s} for k, s in enumerate(steps)],
            "popularity": min(int(rng.paretovariate(1.3) * 10) - 10, 9999),
            "channels": {"visits": rng.randint(0, 2)}}


def generate_document(n: int, seed: int = 0) -> dict[str, Any]:
    rng = random.Random(seed)
    return {"format": "township-kiosk-catalog", "format_version": 1,
            "catalog_version": f"bench-{n}-{seed}", "published": "2026-11-01",
            "publisher": "基准测试目录（虚构）", "region": {"name": "示例县"},
            "categories": {"themes": [], "life_events": []}, "synonyms": SYNONYMS,
            "items": [_item(rng, i) for i in range(n)]}
