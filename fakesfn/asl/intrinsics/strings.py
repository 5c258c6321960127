"""Intrinsics that build and cut strings: States.Format and States.StringSplit."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Final

from fakesfn.asl.intrinsics.render import format_value
from fakesfn.asl.intrinsics.spec import ANY, INVALID, STRING, ArgType, Param, fail, intrinsic

if TYPE_CHECKING:
    from fakesfn.asl.context import Env

_PLACEHOLDER: Final = "{}"


@dataclass(frozen=True, slots=True)
class FormatTemplate:
    """A States.Format template cut at its ``{}`` placeholders.

    Attributes:
        segments: the literal text around the placeholders (one more than them).
    """

    segments: tuple[str, ...]

    @classmethod
    def from_literal(cls, raw: str) -> FormatTemplate:
        r"""From a string literal's raw text, where ``\{`` and ``\}`` are not placeholders."""
        segments: list[str] = []
        current: list[str] = []
        pos = 0
        while pos < len(raw):
            char = raw[pos]
            if char == "\\" and pos + 1 < len(raw):
                current.append(raw[pos + 1])
                pos += 2
            elif raw.startswith(_PLACEHOLDER, pos):
                segments.append("".join(current))
                current = []
                pos += 2
            else:
                current.append(char)
                pos += 1
        segments.append("".join(current))
        return cls(tuple(segments))

    @classmethod
    def from_value(cls, text: str) -> FormatTemplate:
        """From a string selected by a path: every ``{}`` is a placeholder."""
        return cls(tuple(text.split(_PLACEHOLDER)))


def _template(value: Any) -> Any:
    if type(value) is FormatTemplate:
        return value
    if type(value) is str:
        return FormatTemplate.from_value(value)
    return INVALID


_TEMPLATE: Final = ArgType("a string", _template)


@intrinsic(
    "States.Format",
    (Param("template", _TEMPLATE, literal=FormatTemplate.from_literal),),
    variadic=Param("value", ANY),
)
def format_(args: list[Any], env: Env) -> str:
    """The template with each ``{}`` replaced by the next argument's value."""
    template: FormatTemplate = args[0]
    segments = template.segments
    values = args[1:]
    # AWS: "There must be as many remaining arguments in the Invocation as there
    # are occurrences of {}."
    if len(values) != len(segments) - 1:
        fail(
            f"The template has {len(segments) - 1} '{{}}' placeholder(s), "
            f"but {len(values)} value argument(s) were given"
        )
    if not values:
        return segments[0]
    parts = [segments[0]]
    for value, segment in zip(values, segments[1:], strict=True):
        parts.append(value if type(value) is str else format_value(value))
        parts.append(segment)
    return "".join(parts)


@intrinsic("States.StringSplit", (Param("input string", STRING), Param("splitter", STRING)))
def string_split(args: list[Any], env: Env) -> list[str]:
    """The string cut at any of the splitter's characters, empty pieces dropped.

    AWS splits "This.is+a,test=string" with ".+,=" into five words: every splitter
    character is a delimiter, as with Java's ``StringTokenizer``.
    """
    text, delimiters = args
    if not delimiters:
        return [text] if text else []
    first = delimiters[0]
    if len(delimiters) > 1:
        text = text.translate({ord(char): first for char in delimiters[1:]})
    return [piece for piece in text.split(first) if piece]
