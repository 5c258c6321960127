"""The one seeded source of every random choice the fake makes.

AWS picks execution names, task tokens, map run ids and UUIDs at random; the fake
draws them all from one ``random.Random`` seeded by the backend's ``seed``, so the
same seed and the same calls give byte-identical ARNs, tokens and histories.
"""

from __future__ import annotations

import random as _random

_CLEAR_VERSION_AND_VARIANT = ~((0xF000 << 64) | (0xC000 << 48))
_VERSION_4_VARIANT_RFC = (0x4000 << 64) | (0x8000 << 48)


class SeededRandom:
    """Named draws over a single seeded generator."""

    def __init__(self, seed: int = 0) -> None:
        self.seed = seed
        self._rng = _random.Random(seed)

    def uuid(self) -> str:
        """A version-4 UUID string, like ``uuid.uuid4()`` but from the seed.

        Same value as ``str(uuid.UUID(int=bits, version=4))``, formatted directly:
        request ids are drawn on every API call.
        """
        bits = self._rng.getrandbits(128)
        bits = (bits & _CLEAR_VERSION_AND_VARIANT) | _VERSION_4_VARIANT_RFC
        text = f"{bits:032x}"
        return f"{text[:8]}-{text[8:12]}-{text[12:16]}-{text[16:20]}-{text[20:]}"

    def hex(self, length: int) -> str:
        """``length`` random lowercase hex digits."""
        return f"{self._rng.getrandbits(4 * length):0{length}x}"

    def token(self) -> str:
        """A task token: opaque, long and URL-safe, as AWS's are."""
        return "AQ" + "".join(self.hex(32) for _ in range(4))

    def uniform(self, low: float, high: float) -> float:
        """A float in ``[low, high]`` (retry jitter, States.MathRandom)."""
        return self._rng.uniform(low, high)

    def randint(self, low: int, high: int) -> int:
        """An int in ``[low, high]``."""
        return self._rng.randint(low, high)

    def random(self) -> float:
        """A float in ``[0, 1)``."""
        return self._rng.random()

    def checkpoint(self) -> object:
        """Where the stream stands now, for :meth:`rewind`."""
        return self._rng.getstate()

    def rewind(self, checkpoint: object) -> None:
        """Take back every draw made since ``checkpoint``."""
        self._rng.setstate(checkpoint)  # type: ignore[arg-type]

    def with_token(self, token: str) -> SeededRandom:
        """This stream, except that every task token drawn is ``token``.

        TestState uses it when the caller's Context object names ``Task.Token``: the
        task sees that token where an execution would see a fresh one.
        """
        return _FixedToken(self, token)


class _FixedToken(SeededRandom):
    """A view of another stream (same generator) whose task tokens are fixed."""

    def __init__(self, source: SeededRandom, token: str) -> None:
        self.seed = source.seed
        self._rng = source._rng
        self._token = token

    def token(self) -> str:
        """The fixed token."""
        return self._token
