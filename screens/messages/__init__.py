"""Every word a citizen reads, one module per flow, so they are reviewed together (issue 17):
plain, polite Chinese; the same thing said the same way on screen and on paper (服务台, not
sometimes 窗口); no official terms a farmer has to decode. tests/unit/test_messages.py checks
that the flows' screen modules hold no Chinese text of their own."""
