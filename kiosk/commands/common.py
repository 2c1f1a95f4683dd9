"""Helpers shared by command modules: loading the config once, printing JSON."""

from __future__ import annotations

import argparse
import json
import sys
from typing import TYPE_CHECKING, Any

from kiosk.config import Config, default_config_path, load_config

if TYPE_CHECKING:
    Subparsers = argparse._SubParsersAction[argparse.ArgumentParser]
else:   # generic only in typeshed: not subscriptable at run time
    Subparsers = argparse._SubParsersAction
"""What `add_subparsers()` returns: every command module's `register(sub)` takes one."""


def config_from_args(args: argparse.Namespace) -> Config:
    """The validated config named by --config (or the default one)."""
    path = getattr(args, "config", None) or default_config_path()
    return load_config(path)


def print_json(data: Any) -> None:
    """JSON on stdout, Chinese kept readable (not \\u escapes)."""
    json.dump(data, sys.stdout, ensure_ascii=False, indent=2, default=str)
    sys.stdout.write("\n")
