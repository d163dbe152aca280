"""`python -m bench [options]`: the benchmark's entry point (`make bench`); the command is in cli.py."""

import os
import sys

import django


def main() -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "helpdesk.settings")
    django.setup()
    # Imported only now: the modules it loads import models, which need the app registry.
    from .cli import main as run

    return run(sys.argv[1:])


if __name__ == "__main__":
    sys.exit(main())
