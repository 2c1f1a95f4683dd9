"""The faces of the hall service (issue 15): the window's page (窗口叫号), the hall manager's
page, the read-only hall display for a smart TV, and the rating page a slip's QR code opens."""
