"""What every flow says."""

from __future__ import annotations

STAFF = "请联系大厅工作人员。"
SORRY = "请到服务台咨询，给您添麻烦了。"
NOT_YET = "此功能暂未开放，请到服务台咨询工作人员。"
WORKER_FAILED = "操作没有完成，请稍后再试，或到服务台咨询工作人员。"
WORKER_FAILED_TITLE = "出了点问题"
