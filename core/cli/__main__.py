"""``python -m core.cli`` runs the ``synopsis`` command."""

import sys

from core.cli import main

sys.exit(main())
