"""`dol` run in the test's own process: no interpreter start and imports per call."""

from __future__ import annotations

import contextlib
import io
import logging
import subprocess
import sys
import warnings

from dol_toolkit.cli import main


def run_dol_in_process(*args: str) -> subprocess.CompletedProcess[str]:
    """``dol ARGS`` in this process: its exit code and what it printed, as a process of its own would give them.
    What such a process would also print on stderr goes into stderr here too: every warning, and log records of
    WARNING and above. Tests that run ``dol`` this way keep at least one run of the real entry point."""
    out, err = io.StringIO(), io.StringIO()
    handler = logging.StreamHandler(err)
    handler.setLevel(logging.WARNING)
    logging.getLogger().addHandler(handler)
    try:
        with warnings.catch_warnings(record=True) as caught, contextlib.redirect_stdout(out), \
                contextlib.redirect_stderr(err):
            warnings.simplefilter("always")
            try:
                code = main(list(args))
            except SystemExit as exc:  # argparse's refusals; a message instead of a code is exit 1, as Python does
                code = exc.code if isinstance(exc.code, int) else 0 if exc.code is None else 1
                if not isinstance(exc.code, int) and exc.code is not None:
                    print(exc.code, file=sys.stderr)
    finally:
        logging.getLogger().removeHandler(handler)
    stderr = err.getvalue() + "".join(f"{w.category.__name__}: {w.message}\n" for w in caught)
    return subprocess.CompletedProcess(["dol", *args], code, out.getvalue(), stderr)
