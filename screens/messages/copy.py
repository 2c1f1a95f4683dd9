"""Copying an ID card or a document."""

from __future__ import annotations

from screens.messages.common import SORRY, STAFF

TAKE_BACK = {"idcard": "请到A4打印机出纸口取走复印件，别忘了从扫描仪上取回您的身份证。",
             "document": "请到A4打印机出纸口取走复印件，别忘了从扫描仪上取回您的原件。"}
PRIVACY = "扫描的图像只用于这次复印，不会保存：复印完成、取消或您离开后立即删除。"
TITLES = {"idcard": "身份证复印件", "document": "文件复印件"}
SCANNER_TROUBLE = f"扫描仪出了点问题，{STAFF}"
NOT_COPIED_TITLE = "没有复印出来"
NOT_COPIED = "{said}" + SORRY
CANNOT_COPY_TITLE = "暂时不能复印"
NO_SCANNER = "本机没有配备扫描仪，请到服务台复印。"
