"""Entry point of `python -m aims.accuracy` (what `make accuracy` runs)."""

import sys

from aims.accuracy.main import main

sys.exit(main())
