"""The ``dol`` command: ``dol serve``, ``dol sample``."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path


def _cmd_serve(args: argparse.Namespace) -> int:
    from dol_toolkit.server import serve

    serve(args.notebooks, port=args.port, ip=args.ip)
    return 0


def _cmd_sample(args: argparse.Namespace) -> int:
    from dol_toolkit.survey.sample import write_samples

    for path in write_samples(args.out, seed=args.seed):
        print(path)
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="dol", description="Workshop toolkit for 'Ledelse af digital omstilling'.")
    sub = parser.add_subparsers(dest="command", required=True)

    serve = sub.add_parser("serve", help="serve the workshop apps in the browser (http://127.0.0.1:8866)")
    serve.add_argument("--port", type=int, default=8866, help="port (default 8866)")
    serve.add_argument("--ip", default="127.0.0.1", help="address to bind (default 127.0.0.1: this machine only)")
    serve.add_argument(
        "--notebooks", type=Path, default=None, help="folder of workshop notebooks (default ./notebooks)"
    )
    serve.set_defaults(func=_cmd_serve)

    sample = sub.add_parser("sample", help="write the synthetic sample exports (CSV and Excel)")
    sample.add_argument("--out", type=Path, default=Path("data/samples"), help="folder (default data/samples)")
    sample.add_argument("--seed", type=int, default=2026, help="random seed (default 2026)")
    sample.set_defaults(func=_cmd_sample)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        result: int = args.func(args)
    except KeyboardInterrupt:
        return 130
    except (FileNotFoundError, ValueError) as exc:
        print(f"dol {args.command}: {exc}", file=sys.stderr)
        return 2
    return result


if __name__ == "__main__":
    sys.exit(main())
