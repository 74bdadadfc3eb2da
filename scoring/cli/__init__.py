"""The command line, ``scoring``: the group and its messages (``group``, ``messages``), the
commands of a run (``scoring_commands``), the auditors' (``audit_commands``), ``report``
(``report_command``, with ``signing``) and the portal's. It may import every layer; only
``scoring.__main__`` imports it. Each command imports what it runs when it runs.
"""

from scoring.cli.audit_commands import diff, verify
from scoring.cli.group import lang_everywhere, main
from scoring.cli.report_command import report
from scoring.cli.scoring_commands import check_data, explain, run, schema, template, validate
from scoring.portal.commands import serve, users  # only click at import; the rest when run

__all__ = ["main"]

for _command in (run, validate, explain, check_data, verify, diff, report, template, schema, serve, users):
    main.add_command(_command)
lang_everywhere(main)
