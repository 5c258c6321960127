"""Hypothesis profiles of the trust suite: ``fast`` in CI, ``long`` under ``nox -s fuzz``.

``FAKESFN_FUZZ_PROFILE=long`` selects the long profile. Profiles are registered
here, not in the root conftest, and never loaded globally: only the trust tests
apply them (through :func:`tests.trust.strategies.fuzz_settings`), so the rest of
the suite keeps hypothesis's defaults.

The fast profile is derandomized: CI explores the same examples every run and
never turns red on a roll of the dice; the long profile draws fresh examples and
keeps failures in the (gitignored) default example database.
"""

from __future__ import annotations

from hypothesis import HealthCheck, settings

from tests.trust.strategies import PROFILE_EXAMPLES, PROFILE_PREFIX

_SLOW_IS_FINE = [HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.large_base_example]

settings.register_profile(
    f"{PROFILE_PREFIX}fast",
    max_examples=PROFILE_EXAMPLES["fast"],
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=_SLOW_IS_FINE,
    print_blob=True,
)
settings.register_profile(
    f"{PROFILE_PREFIX}long",
    max_examples=PROFILE_EXAMPLES["long"],
    deadline=None,
    suppress_health_check=_SLOW_IS_FINE,
    print_blob=True,
)
