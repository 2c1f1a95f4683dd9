"""`kiosk voice build DIR` / `kiosk voice check DIR`: make a voice pack once from the offline
synthesiser, or check a pack (shipped, or a county's recordings) before installing it."""

from __future__ import annotations

import argparse
from pathlib import Path

from kiosk.commands.common import Subparsers, print_json


def register(sub: Subparsers) -> None:
    p = sub.add_parser("voice", help="voice packs for announcements: build, check")
    vsub = p.add_subparsers(dest="voice_command", metavar="ACTION", required=True)
    b = vsub.add_parser("build", help="synthesise every clip (libespeak-ng, offline) into DIR")
    b.add_argument("dir", type=Path)
    b.add_argument("--name", default="cmn-espeak")
    b.set_defaults(handler=_build)
    c = vsub.add_parser("check", help="check a pack: readable clips, none silent, none missing")
    c.add_argument("dir", type=Path)
    c.add_argument("--json", action="store_true")
    c.set_defaults(handler=_check)


def _build(args: argparse.Namespace) -> int:
    from kiosk.speech.build import build_pack

    pack = build_pack(args.dir, name=args.name)
    print(f"{len(pack.clips)} clips at {pack.rate} Hz → {args.dir}")
    return 0


def _check(args: argparse.Namespace) -> int:
    from kiosk.speech.phrases import PROMPTS
    from kiosk.speech.voicepack import load_pack

    pack = load_pack(args.dir)          # SpeechError (exit 3) names the clip or file
    missing_prompts = pack.missing(PROMPTS)
    report = {"name": pack.name, "sample_rate": pack.rate, "clips": len(pack.clips),
              "seconds": round(sum(c.seconds for c in pack.clips.values()), 2),
              "prompts_missing": missing_prompts}
    if args.json:
        print_json(report)
    else:
        print(f"{pack.name}: {report['clips']} clips, {report['seconds']} s at {pack.rate} Hz; "
              "every announcement clip present")
        if missing_prompts:
            print("prompts said by the synthesiser instead: " + "、".join(missing_prompts))
    return 0
