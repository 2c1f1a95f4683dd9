"""A fictional ticket for previews and benchmarks (scripts/receipt-previews.py,
bench/bench_receipt.py): one slip with every optional part filled, so both show the longest
ticket the kiosk prints. The masked holder is what a real slip carries; nothing here is real."""

from __future__ import annotations

from datetime import datetime

from kiosk.receipts.ticket import TicketSlip

EXAMPLE_TIME = datetime(2026, 11, 23, 9, 41)
EXAMPLE_SLIP = TicketSlip(hall_name="青禾县清河镇便民服务中心", number="A007",
                          service_name="社保医保", people_ahead=3, wait_text="约 10–15 分钟",
                          issued_at=EXAMPLE_TIME, ticket_id="T20261123-A007-5f3c",
                          where="一楼东侧等候区", counters=("3号窗口", "4号窗口"),
                          priority="老年人优先", holder_masked="王*明")
