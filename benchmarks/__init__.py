"""fakesfn's benchmark suite: workloads that verify what they ran, timed against fakesfn and moto.

Run it with ``nox -s bench`` or ``python -m benchmarks`` (``--help`` for options); see
``benchmarks/README.md`` for what each workload measures and the latest figures.
"""

from __future__ import annotations
