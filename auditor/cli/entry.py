"""The `auditor` command's entry point: `--version` answered before anything is imported.

Everything else goes to the command line proper (`auditor.cli.app`), whose
imports (typer, the config, the checks) take most of a small run's start-up.
"""

from __future__ import annotations

import sys


def main() -> None:
    if sys.argv[1:] == ["--version"]:
        from auditor import __version__

        sys.stdout.write(f"auditor {__version__}\n")
        return
    from auditor.cli.app import main as cli_main
    from auditor.registry import PluginError

    try:
        cli_main()
    except PluginError as exc:  # a broken plugin set-up is a usage error: a message, not a traceback
        sys.stderr.write(f"auditor: {exc}\n")
        sys.exit(2)
