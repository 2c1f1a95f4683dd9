"""`kiosk display` and `kiosk speak`: they live in screens/ because they play sound and draw
with pygame (kiosk/ never imports it); pygame is imported inside the handlers.

    kiosk display [--window N | --evaluator N] [--server URL] [--windowed] [--size WxH]
    kiosk speak TEXT [--out FILE.wav] [--repeat N] [--no-chime]
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
from pathlib import Path

from kiosk.commands.common import Subparsers, config_from_args


def register_display(sub: Subparsers) -> None:
    p = sub.add_parser("display", help="the hall display (综合屏), a window screen (窗口屏) or "
                                       "an evaluator (评价器), following the hall service")
    who = p.add_mutually_exclusive_group()
    who.add_argument("--window", type=int, metavar="N", help="the screen above window N")
    who.add_argument("--evaluator", type=int, metavar="N", help="the evaluator at window N")
    p.add_argument("--server", metavar="URL", default="",
                   help="the hall service (default: [call_display].server or [queue].server)")
    p.add_argument("--windowed", action="store_true", help="a window instead of full screen")
    p.add_argument("--size", metavar="WxH", type=_size, help="panel size, e.g. 1080x1920")
    p.add_argument("--audio-out", metavar="DIR", type=Path,
                   help="write what would be said to DIR/NNNN.wav instead of the speaker")
    p.add_argument("--silent", action="store_true", help="no chime and no voice")
    p.set_defaults(handler=_display)


def _size(text: str) -> tuple[int, int]:
    m = re.fullmatch(r"(\d{3,4})[x×](\d{3,4})", text.strip())
    if not m:
        raise argparse.ArgumentTypeError(f"expected WIDTHxHEIGHT such as 1920x1080, got {text!r}")
    return int(m.group(1)), int(m.group(2))


def _display(args: argparse.Namespace) -> int:
    cfg = config_from_args(args)
    os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")
    from screens.display_main import DisplayOptions, run_display

    mode, number = ("window", args.window) if args.window is not None else (
        ("evaluator", args.evaluator) if args.evaluator is not None else ("hall", 0))
    return run_display(cfg, DisplayOptions(mode, number, args.server, args.windowed, args.size,
                                           args.audio_out, args.silent))


def register_speak(sub: Subparsers) -> None:
    p = sub.add_parser("speak", help="say an announcement or a prompt through the display's "
                                     "speech path (or write it to a WAV file)")
    p.add_argument("text", metavar="TEXT", help='e.g. "请A012号到3号窗口办理" or any prompt')
    p.add_argument("--out", metavar="FILE.wav", type=Path, help="write a WAV file, play nothing")
    p.add_argument("--repeat", type=int, metavar="N",
                   help="times an announcement is said (default: [speech].repeat)")
    p.add_argument("--no-chime", action="store_true", help="an announcement without the chime")
    p.add_argument("--json", action="store_true", help="print the clip sequence as JSON")
    p.set_defaults(handler=_speak)


def _speak(args: argparse.Namespace) -> int:
    from kiosk.speech.phrases import parse_call
    from kiosk.speech.render import open_renderer

    cfg = config_from_args(args)
    renderer = open_renderer(cfg)
    call = parse_call(args.text)
    repeat = args.repeat or cfg.speech.repeat
    if call is not None and not args.no_chime:
        rendering = renderer.announcement(call, repeat)
    else:
        rendering = renderer.text(args.text)
    summary = {"text": args.text, "seconds": round(rendering.seconds, 3),
               "sample_rate": rendering.pcm.rate, "clips": rendering.sequence}
    if args.out is not None:
        rendering.pcm.write_wav(args.out)
        summary["file"] = str(args.out)
    else:
        os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")
        from screens.audio import MixerPlayer

        player = MixerPlayer(rendering.pcm.rate, cfg.speech.volume)
        player.open()
        try:
            player.play(rendering.pcm)
        finally:
            player.close()
    if args.json:
        json.dump(summary, sys.stdout, ensure_ascii=False, indent=1)
        sys.stdout.write("\n")
    else:
        where = f" → {args.out}" if args.out else ""
        print(f"{rendering.seconds:.1f} s{where}: {' '.join(rendering.sequence)}")
    return 0
