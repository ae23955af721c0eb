"""``python -m etl``: the entry point of the command line (etl.cli, the composition root)."""

import sys

from .cli import main

sys.exit(main())
