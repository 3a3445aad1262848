"""``python -m mockcanvas``: the same as the ``mockcanvas`` console script."""

import sys

from .cli import main

sys.exit(main())
