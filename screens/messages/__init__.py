"""Every word a citizen reads on the touchscreen, one module per flow, so each flow's wording
can be reviewed (and changed) in one place:

    common.py     what every flow says: see staff, sorry, the generic failure
    busy.py       the "please wait" card while a device is slow (JobProgress)
    guide.py      printing a guide on the receipt printer
    queue.py      the queue flow's screens and the ticket on screen (the queue's own
                  answers: kiosk/queue/messages.py)
    copy.py       copying an ID card or a document
    printing.py   the A4 preview, forms
    card.py       the ID card prompt
    visit.py      home, the idle warning, 结束办理 (what one visit says)
    search.py     the search screen

Device errors carry their own words (devices/messages.py), the kiosk's errors theirs
(kiosk/messages.py); `kiosk.errors.citizen_message_of(exc, default)` picks between them and a
flow's default. Plain, polite Chinese; no device names a citizen would not know.
"""
