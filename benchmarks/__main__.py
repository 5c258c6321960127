"""``python -m benchmarks``: the one command that runs the suite."""

from __future__ import annotations

from benchmarks.run import main

raise SystemExit(main())
