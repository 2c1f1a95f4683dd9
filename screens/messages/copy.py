"""Copying an ID card or a document."""

from __future__ import annotations

from screens.messages.common import SORRY, STAFF

TAKE_BACK = {"idcard": "请到A4打印机出纸口取走复印件，别忘了从扫描仪上取回您的身份证。",
             "card": "请到A4打印机出纸口取走复印件，别忘了从扫描仪上取回您的卡。",
             "hukou": "请到A4打印机出纸口取走复印件，别忘了从扫描仪上取回您的户口簿。",
             "document": "请到A4打印机出纸口取走复印件，别忘了从扫描仪上取回您的原件。"}
PRIVACY = "扫描的图像只用于这次复印，不会保存：复印完成、取消或您离开后立即删除。"
TITLES = {"idcard": "身份证复印件", "card": "银行卡社保卡复印件", "hukou": "户口簿复印件",
          "document": "文件复印件"}
MENU = (("idcard", "身份证复印", "正反两面复印在同一张A4纸上"),
        ("card", "银行卡 / 社保卡复印", "正反两面，按原大小在一张A4纸上"),
        ("hukou", "户口簿复印", "首页（户主页）和本人页，每页一张A4纸"),
        ("document", "文件复印", "一次最多{n}页，每页一张A4纸"))
HEADERS = {"idcard": "身份证复印", "card": "银行卡 / 社保卡复印", "hukou": "户口簿复印",
           "document": "文件复印"}
CARD_NAMES = {"idcard": "身份证", "card": "卡片"}
REDO_FRONT = "重扫正面"
REDO_BACK = "重扫背面"
NEXT_PAGE = "扫下一页"
SCAN_DONE = "扫描完成，看预览"
START = "开始扫描"
CANCEL = "取消"


def card_step(kind: str, side: str) -> str:
    name = CARD_NAMES.get(kind, "卡片")
    return (f"第1步（共2步）：扫描{name}正面" if side == "front"
            else f"第2步（共2步）：扫描{name}背面")


def card_instruction(kind: str, side: str) -> str:
    if kind == "idcard":
        if side == "front":
            return "请把身份证有照片的一面朝下，放在扫描仪玻璃板的左上角，盖好盖子。"
        return "请把身份证翻过来，有国徽的一面朝下，放在同一位置，盖好盖子。"
    return ("请把卡有卡号的一面朝下，放在扫描仪玻璃板的左上角，盖好盖子。" if side == "front"
            else "请把卡翻过来，背面朝下，放在同一位置，盖好盖子。")


HUKOU_PAGES = ("户口簿首页（户主页）", "本人页", "其他家庭成员页")


def hukou_step(pages: int) -> str:
    return f"第{pages + 1}页：{HUKOU_PAGES[min(pages, 2)]}"


def hukou_instruction(pages: int, most: int) -> str:
    if pages >= most:
        return f"一次最多复印{most}页，请点“扫描完成，看预览”。"
    page = HUKOU_PAGES[min(pages, 2)]
    if pages == 0:
        return f"请把{page}正面朝下，放在扫描仪玻璃板上，对齐左上角，盖好盖子。"
    return (f"已扫好 {pages} 页（见下方小图）。需要{page}的，翻到那一页放好后点“扫下一页”；"
            "都扫好了请点“扫描完成，看预览”。")


def document_step(pages: int) -> str:
    return f"已扫描 {pages} 页" if pages else "扫描文件"


def document_instruction(pages: int, most: int) -> str:
    if not pages:
        return "请把文件第一页正面朝下，放在扫描仪玻璃板上，对齐左上角，盖好盖子。"
    if pages >= most:
        return f"一次最多复印{most}页，请点“扫描完成，看预览”。"
    return (f"已扫好 {pages} 页（见下方小图）。还有下一页的话，换上下一页、盖好盖子后点"
            "“扫下一页”；全部扫好了请点“扫描完成，看预览”。")


def preview_heading(kind: str, pages: int) -> str:
    if kind in ("idcard", "card"):
        return "正反两面按原大小（85.6×54毫米）排在一张A4纸上；哪面歪了可以只重扫那一面"
    return f"共 {pages} 页，每页按原大小复印在一张A4纸上"


def copied(copies: int, kind: str) -> str:
    return f"已复印 {copies} 份。{TAKE_BACK[kind]}"


def page_label(n: int) -> str:
    return f"第{n}页"
SCANNER_TROUBLE = f"扫描仪出了点问题，{STAFF}"
NOT_COPIED_TITLE = "没有复印出来"
COPIED_TITLE = "复印好了"
NOT_COPIED = "{said}" + SORRY
CANNOT_COPY_TITLE = "暂时不能复印"
NO_SCANNER = "本机没有配备扫描仪，请到服务台复印。"
