"""The `weijian` command: every Django management command, plus the project's own
(`serve`, `demo`, …) which live as management commands in their apps."""

import os
import sys


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "weijian.settings")
    from django.core.management import execute_from_command_line

    argv = list(sys.argv if argv is None else argv)
    argv[0] = "weijian"
    execute_from_command_line(argv)


if __name__ == "__main__":
    main()
