"""The ``scoring`` click group: its ``--lang`` and ``--version``, user errors turned into a
message and exit code 2, ``--lang`` added to every command, and the options commands share
(``read_options``).
The commands themselves are in the other modules of ``scoring.cli``, added in its __init__.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from scoring import __version__
from scoring.cli.messages import ERR, fail, t
from scoring.errors import ScoringError

__all__ = ["main", "lang_everywhere", "read_options"]

_data_source = click.option(
    "--data-source", "data_source", type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Tệp nguồn dữ liệu YAML: tệp, trang, dòng tiêu đề, tên cột, chữ của từng bảng / the "
         "data-source file: per table its file, sheet, header row, columns and words "
         "(docs/inputs.md).")
_columns = click.option("--columns", "columns_file",
                        type=click.Path(exists=True, dir_okay=False, path_type=Path),
                        help="Tệp ánh xạ tên cột / column-name mapping file (see docs/inputs.md).")
_sheet = click.option("--sheet", help="Tên trang tính Excel (mặc định trang đầu) / Excel sheet name.")
_header_row = click.option("--header-row", type=click.IntRange(1),
                           help="Dòng tên cột trong Excel / Excel header row.")


def read_options(command: Callable[..., Any]) -> Callable[..., Any]:
    """How the data is read, the same on every command that reads it: ``--data-source``,
    ``--columns``, ``--sheet`` and ``--header-row``, in that order."""
    for option in (_header_row, _sheet, _columns, _data_source):  # the last applied is listed first
        command = option(command)
    return command


class _Group(click.Group):
    """Turns every user error into a message and exit code 2, never a traceback."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except ScoringError as exc:
            fail(exc)
        except KeyboardInterrupt:
            ERR.print(t("interrupted"))
            sys.exit(130)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--lang", type=click.Choice(["vi", "en"]), default=None,
              help="Ngôn ngữ thông báo và báo cáo / language of messages and reports (vi, en).")
@click.version_option(__version__, prog_name="scoring")
def main(lang: str | None) -> None:
    """Chấm điểm, xếp loại chất lượng theo tháng, quý hoặc năm, có tiêu chí chấp hành pháp luật
    về trật tự, an toàn giao thông.

    Monthly, quarterly or yearly performance scoring and rating with traffic-safety compliance.
    """


def _set_lang(ctx: click.Context, _param: click.Parameter, value: str | None) -> None:
    if value:
        ctx.find_root().params["lang"] = value


def lang_everywhere(group: click.Group) -> None:
    """``--lang`` works before and after the subcommand (``scoring report --run O --lang en``);
    eager, so that the messages about the other options are in that language already."""
    for cmd in group.commands.values():
        if isinstance(cmd, click.Group):
            lang_everywhere(cmd)
        elif not any(p.name == "lang" for p in cmd.params):
            cmd.params.append(click.Option(
                ["--lang"], type=click.Choice(["vi", "en"]), default=None, expose_value=False,
                is_eager=True, callback=_set_lang,
                help="Ngôn ngữ thông báo và báo cáo / language of messages and reports."))
