"""``python -m fakesfn``: the command line."""

from __future__ import annotations

import sys

from fakesfn.cli import main

sys.exit(main())
