"""``python -m core.services.cli`` runs the ``synopsis`` command."""

import sys

from core.services.cli import main

sys.exit(main())
