"""What a ``rag`` run skips to start and stop fast: plugins it does not need, teardown.

A cold ``rag ask`` is mostly imports and loading (docs/BENCHMARKS.md); two
costs are not the question's: importing the plugin commands (~0.1 s) and
Python tearing down every module and object at exit (0.2-0.3 s with Chroma's
engine, a 100k-chunk index and the ONNX session loaded).
"""

from __future__ import annotations

import atexit
import os
import sys
import threading
from typing import NoReturn

import typer

# Commands that only read: at their end there is nothing left to flush or close
# that the operating system does not release itself.
READ_ONLY_COMMANDS = frozenset({"ask", "search", "status", "settings"})


def own_command_names(app: typer.Typer) -> set[str]:
    """Names of the commands and groups ``app`` itself defines (no plugins)."""
    commands = app.registered_commands
    names = {c.name or getattr(c.callback, "__name__", "").replace("_", "-") for c in commands}
    return names | {g.name for g in app.registered_groups if g.name}


def command_name(args: list[str]) -> str | None:
    """The subcommand a command line names (``rag ask ...`` -> 'ask'), if any."""
    return next((a for a in args if not a.startswith("-")), None)


def exit_code(exc: SystemExit) -> int:
    """The process exit status ``sys.exit`` would give for ``exc``."""
    if exc.code is None or isinstance(exc.code, int):
        return exc.code or 0
    print(exc.code, file=sys.stderr)  # sys.exit("message") prints it and exits 1
    return 1


def exit_without_teardown(code: int) -> NoReturn:
    """Exit like Python does, minus freeing every module and object one by one.

    Other non-daemon threads are joined and atexit handlers run first, as at a
    normal exit; daemon threads are abandoned either way.
    """
    for thread in threading.enumerate():
        if thread is not threading.current_thread() and not thread.daemon:
            thread.join()
    atexit._run_exitfuncs()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)
