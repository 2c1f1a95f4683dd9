"""One module per `kiosk` command group; each exposes `register(subparsers)`.

Helpers shared by the command modules live in kiosk.commands.common.
"""
