"""Start Synopsis Studio (the same as the ``synopsis-studio`` command)."""

import sys

from app.main import main

if __name__ == "__main__":
    sys.exit(main())
