"""``python -m cogov.experiments.cli``: the ``cogov`` command without its console script."""

import sys

from . import main

sys.exit(main())
