"""The ``dol`` command: serve, validate, leaders, summary, codes, export, sheets, handouts, sample."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from dol_toolkit.i18n import DEFAULT_LANG, Lang, as_lang, t

if TYPE_CHECKING:
    from dol_toolkit.themes import Theme


def _cmd_serve(args: argparse.Namespace) -> int:
    from dol_toolkit.hub import HubError
    from dol_toolkit.server import serve, valid_host_name
    from dol_toolkit.survey.errors import SurveyImportError
    from dol_toolkit.workshop import ConfigError

    try:
        if args.hub and args.lan:
            print("dol serve: --hub and --lan exclude each other (behind a hub, the hub's proxy serves the room)",
                  file=sys.stderr)
            return 2
        names = tuple(name for given in args.host_name for name in given.replace(",", " ").split())
        bad = [name for name in names if not valid_host_name(name)]
        if bad:
            print(t("serve.bad_host_name", DEFAULT_LANG, name=bad[0]), file=sys.stderr)
            return 2
        serve(args.config, notebooks=args.notebooks, port=args.port, ip=args.ip, lan=args.lan,
              participants=args.participants, release_seconds=args.release_after, hub=args.hub,
              host_names=names)
    except (ConfigError, HubError) as exc:
        print(str(exc), file=sys.stderr)
        return 2
    except SurveyImportError as exc:
        print(exc.message(DEFAULT_LANG), file=sys.stderr)
        return 2
    return 0


def _cmd_sample(args: argparse.Namespace) -> int:
    from dol_toolkit.survey.sample import write_samples

    for path in write_samples(args.out, seed=args.seed):
        print(path)
    return 0


def _theme(args: argparse.Namespace) -> Theme:
    """The theme ``--theme`` names (a shipped theme's id or a theme file), the default theme without it."""
    from dol_toolkit.themes import DEFAULT_THEME, load_theme

    return load_theme(getattr(args, "theme", None) or DEFAULT_THEME)


def _cmd_validate(args: argparse.Namespace) -> int:
    import json

    from dol_toolkit.survey import SurveyImportError, read_export
    from dol_toolkit.survey.draft_mapping import draft_mapping

    lang = as_lang(args.lang)
    if args.write_mapping:
        try:
            text = draft_mapping(args.file, args.mapping, _theme(args))
        except SurveyImportError as exc:
            print(exc.message(lang), file=sys.stderr)
            return 2
        Path(args.write_mapping).write_text(text, encoding="utf-8")
        print(t("cli.mapping_written", lang, path=args.write_mapping), file=sys.stderr)
    try:
        result = read_export(args.file, args.mapping, theme=_theme(args))
    except SurveyImportError as exc:
        print(exc.message(lang), file=sys.stderr)
        return 2
    if args.json:
        print(json.dumps(result.report.to_dict(lang), ensure_ascii=False, indent=2))
    else:
        print(result.report.format(lang))
    return 0 if result.report.usable else 2  # nothing usable: the report says why, the exit code says no


def _policy_and_responses(args: argparse.Namespace, lang: Lang, command: str,
                          **policy: Any) -> tuple[Any, Any] | None:
    """The anonymity policy from the options and the export's responses; None after saying what is wrong."""
    from dol_toolkit.stats import AnonymityError, AnonymityPolicy
    from dol_toolkit.survey import SurveyImportError, read_export

    try:
        rule = AnonymityPolicy(**policy)
    except AnonymityError as exc:
        print(f"dol {command}: {exc}", file=sys.stderr)
        return None
    try:
        result = read_export(args.file, args.mapping, theme=_theme(args))
        result.report.require_usable()  # a file with no usable answer has no results
        return rule, result.responses
    except SurveyImportError as exc:
        print(exc.message(lang), file=sys.stderr)
        return None


def _cmd_summary(args: argparse.Namespace) -> int:
    import json

    from dol_toolkit.stats.summary import summary

    lang = as_lang(args.lang)
    read = _policy_and_responses(args, lang, "summary", min_n=args.min_n, research_mode=args.research,
                                 min_answers_per_item=args.min_answers_per_item)
    if read is None:
        return 2
    policy, responses = read
    result = summary(responses, leaders=args.leader, department=args.department, waves=args.wave, policy=policy)
    if args.json:
        print(json.dumps(result, ensure_ascii=False, indent=1))
        return 0
    for line in _summary_lines(result, policy.min_n, lang, _theme(args), policy.min_answers_per_item):
        print(line)
    return 0


def _cmd_leaders(args: argparse.Namespace) -> int:
    import json

    from dol_toolkit.stats.leaders import leader_counts

    lang = as_lang(args.lang)
    read = _policy_and_responses(args, lang, "leaders", min_n=args.min_n)
    if read is None:
        return 2
    policy, responses = read
    counts = leader_counts(responses, policy)
    if args.json:
        records = [{k: (v.item() if hasattr(v, "item") else v) for k, v in row.items()}
                   for row in counts.to_dict("records")]
        print(json.dumps(records, ensure_ascii=False, indent=1))
        return 0
    for line in leaders_lines(counts, policy.min_n, lang):
        print(line)
    return 0


def leaders_lines(counts: Any, min_n: int, lang: Lang) -> list[str]:
    """The text of ``dol leaders``: per department a table of its leaders with the employees who answered in each
    round (and whether the leader rated themself and has a rating from their own leader), the rounds where the
    leader is under the anonymity limit marked, and a count per department."""
    if counts.empty:
        return [t("cli.leaders_none", lang)]
    waves = [w for w in dict.fromkeys(counts["wave"].tolist())]
    wave_names = [str(w) if w is not None else "-" for w in waves]
    lines = [t("cli.leaders_intro", lang, min_n=min_n), ""]
    for department, part in counts.groupby("department", sort=True):
        leaders = list(dict.fromkeys(part["leader"].tolist()))
        title = str(department) or t("cli.leaders_no_department", lang)
        lines.append(f"{title} ({t('doc.leaders', lang, count=len(leaders))})")
        width = max(len(x) for x in leaders)
        head = "  ".join(f"{name:>12}" for name in wave_names)
        lines.append(f"  {t('cli.leaders_leader', lang):<{width}}  {head}")
        for leader in leaders:
            cells = []
            mine = part[part["leader"] == leader]
            for wave in waves:
                row = mine[mine["wave"].isna()] if wave is None else mine[mine["wave"] == wave]
                if row.empty:
                    cells.append(f"{'-':>12}")
                    continue
                r = row.iloc[0]
                mark = "" if bool(r["shown"]) else " *"
                roles = ("S" if int(r["self"]) else "-") + ("L" if int(r["manager"]) else "-")
                cells.append(f"{f'{int(r.employees)}{mark} {roles}':>12}")
            lines.append(f"  {leader:<{width}}  {'  '.join(cells)}")
        lines.append("")
    lines.append(t("cli.leaders_legend", lang, min_n=min_n))
    return lines


def _summary_lines(result: list[dict[str, Any]], min_n: int, lang: Lang, theme: Theme,
                   min_answers: int | None = None) -> list[str]:
    """The text of ``dol summary``: one line per record, in the language's words and decimal separator, and a
    line before a figure over several leaders that names the leaders left out of it. Beside every item's ``n``
    stands how many of its answers are on the scale (the ones its distribution and mean are made of); an item
    whose answers of a leader are withheld under ``min_answers`` (``min_answers_per_item``) says so."""
    from dol_toolkit.plots._format import format_decimal
    from dol_toolkit.stats.anonymity import ITEM_REASON, LEFT_OUT_REASON
    from dol_toolkit.themes import OFF_SCALE

    def decimal(value: float) -> str:
        return format_decimal(value, lang, digits=2)

    def item_label(item: str) -> str:
        if item == "index":
            return t("results.index", lang)
        try:
            return theme.item(item).short(lang)
        except KeyError:
            return item

    def place(record: dict[str, Any]) -> str:
        name = str(record["leader"])
        if record.get("kind") == "organisation":
            name = t("cli.organisation", lang)
        elif record.get("kind") == "leaders":
            name = t("cli.group", lang)
        return f"{name} {record['wave'] or ''}".strip()

    lines = []
    announced: set[tuple[str, str | None]] = set()
    for record in result:
        where = place(record)
        key = (where, record["wave"])
        whole = [x["leader"] for x in record["left_out"] if x["reason"] == LEFT_OUT_REASON]
        of_item = [x["leader"] for x in record["left_out"] if x["reason"] == ITEM_REASON]
        if whole and key not in announced:
            announced.add(key)
            lines.append(t("cli.left_out", lang, where=where, leaders=", ".join(whole), min_n=min_n))
        if record["suppressed"]:
            if record["reason"] == "too_few_respondents":
                shown = t("cli.suppressed", lang, min_n=min_n)
            elif record["reason"] == ITEM_REASON:
                shown = t("cli.suppressed_item", lang, min_answers=min_answers)
            elif record["reason"] == "no_answers":
                shown = t("cli.no_answers", lang)
            else:
                shown = str(record["reason"])
        else:
            parts = [f"n={record['n']}"]
            if record["item"] != "index":
                parts.append(f"{t('cli.n_substantive', lang)}={record['n_substantive']}")
            if record["mean"] is not None:
                interval = ""
                if record["ci_low"] is not None:
                    interval = f" [{decimal(record['ci_low'])}; {decimal(record['ci_high'])}]"
                parts.append(f"{t('cli.mean', lang)}={decimal(record['mean'])}{interval}")
            if record["item"] != "index":
                for code in OFF_SCALE:  # the answers beside the scale the theme offers, or that were given
                    if code in theme.scale.offered_off_scale or record[code]:
                        parts.append(f"{t(f'answers.{code}', lang)}={record[code]}")
            if of_item:
                parts.append(t("cli.item_left_out", lang, leaders=", ".join(of_item), min_answers=min_answers))
            shown = "  ".join(parts)
        role = t(f"roles.{record['role']}", lang)
        lines.append(f"{where:<40} {role:<14} {item_label(str(record['item'])):<23} {shown}")
    return lines


def _cmd_codes(args: argparse.Namespace) -> int:
    from dol_toolkit.stats.workshop_data import load_workshop_data
    from dol_toolkit.survey.errors import SurveyImportError
    from dol_toolkit.workshop import ConfigError, load_config, stale_codes, write_codes

    lang = as_lang(args.lang)
    try:
        config = load_config(args.config)
        load_workshop_data(config)  # every leader of the group is in the data, or no code is made
        stale = stale_codes(config)
        codes = write_codes(args.config, args.leader)
    except (ConfigError, OSError, ValueError) as exc:
        print(f"dol codes: {exc}", file=sys.stderr)
        return 2
    except SurveyImportError as exc:
        print(f"dol codes: {exc.message(lang)}", file=sys.stderr)
        return 2
    if stale:
        print(t("cli.codes_removed", lang, leaders=", ".join(stale)))
    print(t("cli.codes_intro", lang, path=args.config))
    width = max(len(x) for x in codes)
    for leader, code in codes.items():
        print(f"  {leader:<{width}}  {code}")
    return 0


def _cmd_export(args: argparse.Namespace) -> int:
    from dol_toolkit.export.cli import cli_export

    return cli_export(str(args.config), args.format, str(args.out), args.leader, args.lang)


def _cmd_documents(args: argparse.Namespace) -> int:
    """``dol sheets`` and ``dol handouts`` (the command's name is the kind of documents)."""
    from dol_toolkit.export.cli import cli_documents

    return cli_documents(args.command, str(args.config), str(args.out), args.lang)


def _theme_option(parser: argparse.ArgumentParser) -> None:
    """``--theme`` for the commands that read an export (read by :func:`_theme`)."""
    parser.add_argument("--theme", default=None, metavar="THEME",
                        help="the theme: a shipped theme's id or a theme file (.toml); default digital_omstilling")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="dol", description="Workshop toolkit for 'Ledelse af digital omstilling'.")
    sub = parser.add_subparsers(dest="command", required=True)

    serve = sub.add_parser("serve", help="serve the workshop apps in the browser (http://127.0.0.1:8866)")
    serve.add_argument("config", nargs="?", type=Path, default=None,
                       help="workshop configuration (TOML), e.g. workshop/eksempel.toml")
    serve.add_argument("--port", type=int, default=8866, help="port (default 8866)")
    serve.add_argument("--lan", action="store_true",
                       help="serve the room's network (all interfaces) and require a token, printed in the address")
    serve.add_argument("--participants", "--preheat", type=int, default=None, metavar="N",
                       help="pages to have ready for the room (default: the configuration's [room] participants, "
                            "else 10; 0 turns preheating off)")
    serve.add_argument("--release-after", type=int, default=60, metavar="SECONDS",
                       help="shut down a page's kernel when no browser has been connected to it this long (default 60)")
    serve.add_argument("--ip", default="127.0.0.1", help="address to bind (default 127.0.0.1: this machine only)")
    serve.add_argument("--host-name", action="append", default=[], metavar="NAME",
                       help="a name the room reaches this machine by (e.g. workshop.local), served beside "
                            "127.0.0.1, localhost and with --lan this machine's addresses; repeat for several. "
                            "Requests for any other name are refused (DNS rebinding)")
    serve.add_argument("--hub", action="store_true",
                       help="run as a JupyterHub service (started by the hub: address, prefix and login from it)")
    serve.add_argument(
        "--notebooks", type=Path, default=None, help="folder of workshop notebooks (default ./notebooks)"
    )
    serve.set_defaults(func=_cmd_serve)

    validate = sub.add_parser("validate", help="check a survey export and report what was read and left out")
    validate.add_argument("file", type=Path, help="the export: CSV, Excel (.xlsx) or SPSS (.sav)")
    validate.add_argument("--mapping", type=Path, default=None, help="mapping file (TOML) for columns and labels")
    _theme_option(validate)
    validate.add_argument("--json", action="store_true", help="print the report as one JSON object")
    validate.add_argument("--write-mapping", type=Path, default=None, metavar="M",
                          help="write a starting mapping file with what was recognised, to edit")
    validate.add_argument("--lang", default=DEFAULT_LANG, choices=["da", "en"], help="language (default da)")
    validate.set_defaults(func=_cmd_validate)

    summary = sub.add_parser("summary", help="results per item and role, with anonymity applied")
    summary.add_argument("file", type=Path, help="the export: CSV, Excel (.xlsx) or SPSS (.sav)")
    summary.add_argument("--mapping", type=Path, default=None, help="mapping file (TOML)")
    _theme_option(summary)
    summary.add_argument("--leader", nargs="+", default=None, metavar="ID",
                         help="one leader (their own results) or several (a group)")
    summary.add_argument("--department", default=None, help="a department")
    summary.add_argument("--wave", nargs="+", default=None, metavar="W", help="only these rounds")
    summary.add_argument("--min-n", type=int, default=5, help="fewest employee respondents shown (default 5)")
    summary.add_argument("--min-answers-per-item", type=int, default=None, metavar="N",
                         help="hide a leader's item with fewer than N employee answers on the scale (not 'Ved "
                              "ikke'), as the workshop configuration's [anonymity] min_answers_per_item does "
                              "(default: off, the programme's rule)")
    summary.add_argument("--research", action="store_true",
                         help="research mode: allows --min-n below 5 (never used by the workshop)")
    summary.add_argument("--json", action="store_true", help="print a list of JSON records")
    summary.add_argument("--lang", default=DEFAULT_LANG, choices=["da", "en"], help="language (default da)")
    summary.set_defaults(func=_cmd_summary)

    leaders = sub.add_parser("leaders", help="departments and leaders with employee answers per round and who "
                                              "falls under the anonymity rule")
    leaders.add_argument("file", type=Path, help="the export: CSV, Excel (.xlsx) or SPSS (.sav)")
    leaders.add_argument("--mapping", type=Path, default=None, help="mapping file (TOML)")
    _theme_option(leaders)
    leaders.add_argument("--min-n", type=int, default=5, help="fewest employee answers shown (default 5)")
    leaders.add_argument("--json", action="store_true", help="print a list of JSON records")
    leaders.add_argument("--lang", default=DEFAULT_LANG, choices=["da", "en"], help="language (default da)")
    leaders.set_defaults(func=_cmd_leaders)

    codes = sub.add_parser("codes", help="make personal codes for the group's leaders (printed once)")
    codes.add_argument("config", type=Path, help="workshop configuration (TOML)")
    codes.add_argument("--leader", nargs="+", default=None, metavar="ID", help="only these leaders (new codes)")
    codes.add_argument("--lang", default=DEFAULT_LANG, choices=["da", "en"], help="language (default da)")
    codes.set_defaults(func=_cmd_codes)

    export = sub.add_parser("export", help="the workshop summary: theme, results, notes and action plan")
    export.add_argument("config", type=Path, help="workshop configuration (TOML)")
    export.add_argument("--format", default="docx", choices=["docx", "pdf", "html", "md"], help="document format")
    export.add_argument("--out", type=Path, required=True, help="the file to write, or a folder to write it in")
    export.add_argument("--leader", default=None, metavar="ID",
                        help="a leader's own summary: with their results and private notes")
    export.add_argument("--lang", default=None, choices=["da", "en"],
                        help="language (default: the workshop's)")
    export.set_defaults(func=_cmd_export)

    for kind, what in (("sheets", "one personal result sheet per leader of the group (DOCX and PDF)"),
                       ("handouts", "the reflection questions and the cases to hand out (DOCX and PDF)")):
        documents = sub.add_parser(kind, help=what)
        documents.add_argument("config", type=Path, help="workshop configuration (TOML)")
        documents.add_argument("--out", type=Path, required=True, help=f"the folder to write the {kind} in")
        documents.add_argument("--lang", default=None, choices=["da", "en"],
                               help="language (default: the workshop's)")
        documents.set_defaults(func=_cmd_documents)

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
    except BrokenPipeError:  # output piped into a command that stopped reading (head, less)
        import os

        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except Exception as exc:  # never a traceback for a user: say what failed, exit 2
        print(f"dol {args.command}: {exc}", file=sys.stderr)
        return 2
    return result


if __name__ == "__main__":
    sys.exit(main())
