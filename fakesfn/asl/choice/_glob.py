r"""``StringMatches`` patterns: ``*`` wildcards, matched in linear time.

The ASL specification makes ``*`` the only wildcard (zero or more characters) and
lets a backslash escape it: ``\*`` is a literal star and ``\\`` a literal
backslash (written ``"\\*"`` and ``"\\\\"`` in JSON source). Nothing else is special.

A pattern is compiled once into the literal segments between its unescaped stars.
Matching a star-only glob needs no backtracking: the first segment must be a
prefix, the last a suffix, and each middle segment is taken at its leftmost
occurrence after the previous one (taking it later can only leave less room for the
rest). Each ``str.find`` is linear, so a pattern like ``*a*a*a*...b`` against
``aaaa...`` costs O(len(text) * segments) at worst, never exponential time.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Glob:
    """A compiled ``StringMatches`` pattern.

    Attributes:
        segments: the unescaped literal text between stars; ``len(segments) - 1`` is
            the number of stars, so a pattern without stars is one segment.
    """

    segments: tuple[str, ...]

    def matches(self, text: str) -> bool:
        """Whether ``text`` matches the whole pattern."""
        segments = self.segments
        first = segments[0]
        if len(segments) == 1:
            return text == first
        last = segments[-1]
        end = len(text) - len(last)
        if end < len(first) or not text.startswith(first) or not text.endswith(last):
            return False
        position = len(first)
        for segment in segments[1:-1]:
            found = text.find(segment, position, end)
            if found < 0:
                return False
            position = found + len(segment)
        return True


def compile_glob(pattern: str) -> Glob:
    r"""Split ``pattern`` on unescaped ``*``.

    A backslash makes the next character literal (``\*`` a star, ``\\`` a backslash);
    a trailing lone backslash stands for itself.
    """
    segments: list[str] = []
    current: list[str] = []
    chars = iter(pattern)
    for char in chars:
        if char == "\\":
            current.append(next(chars, "\\"))
        elif char == "*":
            segments.append("".join(current))
            current = []
        else:
            current.append(char)
    segments.append("".join(current))
    return Glob(tuple(segments))
