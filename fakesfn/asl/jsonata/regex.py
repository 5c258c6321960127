r"""JSONata's regular expressions, matched by a backtracking machine with a step budget.

Python's ``re`` cannot be interrupted: a catastrophic pattern (``/(a+)+$/`` against
thirty ``a`` and a ``!``) would hold the process for hours, and a wall-clock
timeout would make the outcome depend on the machine. jsonata-python lets the
adapter plug in its own engine; this one

* reads JavaScript's syntax (:mod:`fakesfn.asl.jsonata.regex_syntax`) and matches
  with JavaScript's semantics: ``\d``, ``\w`` and ``\b`` are ASCII, ``.`` stops at
  any line terminator, ``$`` only matches at the end (or a line end with ``m``),
  ``$1`` in a replacement is group 1 and a backslash is just a backslash, and
  ``$split`` splits as ``String.prototype.split`` does;
* remembers, for patterns without back-references, every (instruction, position)
  a failed branch went through and never tries it again, which makes matching
  linear in the length of the text (the technique RE2 calls a bit-state
  backtracker), so the catastrophic patterns answer at once;
* counts its steps against the evaluation's budget
  (:data:`~fakesfn.asl.jsonata.budget.MAX_REGEX_STEPS`): a pattern the memory
  cannot help (a back-reference, a loop whose body may match nothing) fails the
  state with "Expression evaluation timeout" after a fixed amount of work, on
  every machine alike.

Positions and lengths are counted in code points (JavaScript counts UTF-16
units: they differ only for characters beyond U+FFFF).
"""

from __future__ import annotations

from array import array
from typing import TYPE_CHECKING, Any, Final

from jsonata import JException

from fakesfn.asl.jsonata import budget as budgets
from fakesfn.asl.jsonata.regex_syntax import (
    LINE_TERMINATORS,
    Alt,
    Assert,
    Backref,
    Char,
    Group,
    Look,
    Node,
    RegexSyntaxError,
    Repeat,
    Seq,
    is_word,
    parse,
)

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator

    from jsonata.regex_engine import RegexFlags

MAX_PROGRAM: Final = 20_000
"""The most instructions one pattern may compile to (house rule; ``{n,m}`` is expanded)."""

MAX_MEMORY_STATES: Final = 1 << 23
"""The most (SPLIT, position) states remembered (16 MiB); a longer text is matched without it."""

_CHARGE_EVERY: Final = 1024

# Instructions: (opcode, a, b).
_CHAR, _TEST, _SPLIT, _JMP, _SAVE, _ASSERT, _LOOK, _BACKREF, _MARK, _CHECK, _MATCH, _SCAN = range(12)

Instruction = tuple[int, Any, Any]


class _Program:
    """Compiled instructions of one pattern (or one lookaround inside it).

    ``splits`` numbers the SPLIT instructions: the memory of failed states keeps one
    bit per (SPLIT, position).
    """

    __slots__ = ("code", "memo", "looks", "splits")

    def __init__(self) -> None:
        self.code: list[Instruction] = []
        self.memo = True
        self.looks: list[_Program] = []
        self.splits: dict[int, int] = {}

    def finish(self, memo: bool) -> None:
        self.memo = memo
        self.splits = {
            pc: index for index, pc in enumerate(pc for pc, ins in enumerate(self.code) if ins[0] == _SPLIT)
        }
        for look in self.looks:
            look.finish(memo)


class _Compiler:
    __slots__ = ("ignore_case", "registers", "memo")

    def __init__(self, ignore_case: bool) -> None:
        self.ignore_case = ignore_case
        self.registers = 0
        self.memo = True

    def program(self, node: Node, first: Instruction | None = None) -> _Program:
        """``node`` compiled to match where it starts; with ``first``, to search for it.

        A searching program tries the body at each position in turn, in the same run
        of the machine (so what failed at one start is remembered for the next):
        ``SCAN`` skips to the next position where ``first`` (the body's first
        instruction) can match, then the body is tried before one more character is
        skipped.
        """
        program = _Program()
        code = program.code
        if first is not None:
            code.append((_SCAN, first[0], first[1]))
            code.append((_SPLIT, 4, 2))
            code.append((_TEST, _any_character, None))
            code.append((_JMP, 0, None))
            code.append((_SAVE, 0, None))
        self.emit(program, node)
        code.append((_MATCH, None, None))
        if len(code) > MAX_PROGRAM:
            raise RegexSyntaxError("Regular expression too large")
        return program

    def emit(self, program: _Program, node: Node) -> None:
        code = program.code
        if len(code) > MAX_PROGRAM:
            raise RegexSyntaxError("Regular expression too large")
        if isinstance(node, Char):
            if node.literal is not None and not self.ignore_case:
                code.append((_CHAR, node.literal, None))
            else:
                code.append((_TEST, self._test(node), None))
        elif isinstance(node, Seq):
            for item in node.items:
                self.emit(program, item)
        elif isinstance(node, Alt):
            self._alternatives(program, node)
        elif isinstance(node, Group):
            if node.index is None:
                self.emit(program, node.body)
            else:
                code.append((_SAVE, 2 * node.index, None))
                self.emit(program, node.body)
                code.append((_SAVE, 2 * node.index + 1, None))
        elif isinstance(node, Repeat):
            self._repeat(program, node)
        elif isinstance(node, Assert):
            code.append((_ASSERT, node.kind, None))
        elif isinstance(node, Look):
            look = self.program(node.body)
            program.looks.append(look)
            code.append((_LOOK, len(program.looks) - 1, (node.behind, node.negate)))
        elif isinstance(node, Backref):
            self.memo = False
            code.append((_BACKREF, node.index, None))

    def _test(self, node: Char) -> Callable[[str], bool]:
        literal, member, negate = node.literal, node.test, node.negate
        if literal is not None:
            folded = _fold(literal)
            return lambda c: c == literal or _fold(c) == folded
        assert member is not None
        if self.ignore_case:
            # JavaScript: some member has the same case-folded form; then the negation.
            plain = member
            member = lambda c: plain(c) or plain(c.lower()) or plain(c.upper())  # noqa: E731
        if negate:
            found = member
            return lambda c: not found(c)
        return member

    def _alternatives(self, program: _Program, node: Alt) -> None:
        code = program.code
        jumps = []
        for option in node.options[:-1]:
            split = len(code)
            code.append((_SPLIT, split + 1, None))
            self.emit(program, option)
            jumps.append(len(code))
            code.append((_JMP, None, None))
            code[split] = (_SPLIT, split + 1, len(code))
        self.emit(program, node.options[-1])
        for at in jumps:
            code[at] = (_JMP, len(code), None)

    def _repeat(self, program: _Program, node: Repeat) -> None:
        for _ in range(node.low):
            self.emit(program, node.body)
        if node.high is not None:
            for _ in range(node.high - node.low):
                self._optional(program, node)
            return
        code = program.code
        nullable = _nullable(node.body)
        register = None
        if nullable:
            # JavaScript: an iteration that matched nothing fails. Which iteration
            # that was depends on the path, so these states cannot be remembered.
            register = self.registers
            self.registers += 1
            self.memo = False
        loop = len(code)
        code.append((_SPLIT, None, None))
        if register is not None:
            code.append((_MARK, register, None))
        self.emit(program, node.body)
        if register is not None:
            code.append((_CHECK, register, None))
        code.append((_JMP, loop, None))
        after = len(code)
        first, second = (loop + 1, after) if node.greedy else (after, loop + 1)
        code[loop] = (_SPLIT, first, second)

    def _optional(self, program: _Program, node: Repeat) -> None:
        code = program.code
        split = len(code)
        code.append((_SPLIT, None, None))
        self.emit(program, node.body)
        after = len(code)
        code[split] = (_SPLIT, split + 1, after) if node.greedy else (_SPLIT, after, split + 1)


def _any_character(char: str) -> bool:
    return True


def _fold(char: str) -> str:
    """JavaScript's case canonicalisation (non-unicode mode): the upper case of one character."""
    upper = char.upper()
    if len(upper) != 1 or (ord(char) >= 128 and ord(upper) < 128):
        return char
    return upper


def _nullable(node: Node) -> bool:
    """Whether ``node`` can match the empty string (then a loop over it needs a progress check).

    Computed bottom-up with an explicit stack.
    """
    known: dict[int, bool] = {}
    stack: list[tuple[Node, bool]] = [(node, False)]
    while stack:
        current, ready = stack.pop()
        children = _children(current)
        if not ready and children:
            stack.append((current, True))
            stack.extend((child, False) for child in children)
            continue
        if isinstance(current, Char):
            known[id(current)] = False
        elif isinstance(current, (Assert, Look, Backref)):
            known[id(current)] = True
        elif isinstance(current, Group):
            known[id(current)] = known[id(current.body)]
        elif isinstance(current, Repeat):
            known[id(current)] = current.low == 0 or known[id(current.body)]
        elif isinstance(current, Seq):
            known[id(current)] = all(known[id(item)] for item in current.items)
        else:
            assert isinstance(current, Alt)
            known[id(current)] = any(known[id(option)] for option in current.options)
    return known[id(node)]


def _children(node: Node) -> tuple[Node, ...]:
    if isinstance(node, (Group, Repeat)):
        return (node.body,)
    if isinstance(node, Seq):
        return node.items
    if isinstance(node, Alt):
        return node.options
    return ()


class Pattern:
    """A compiled JSONata regex: what jsonata-python calls (``search``, ``finditer``, ``sub``, ``split``)."""

    __slots__ = ("source", "flags", "groups", "names", "_program", "_searching", "_multiline", "_registers")

    def __init__(self, source: str, flags: RegexFlags) -> None:
        parsed = parse(source)
        compiler = _Compiler(flags.case_insensitive)
        program = compiler.program(parsed.node)
        first = _first_instruction(program)
        searching = compiler.program(parsed.node, first)
        program.finish(compiler.memo)
        searching.finish(compiler.memo)
        self.source = source
        self.flags = flags
        self.groups = parsed.groups
        self.names = parsed.names
        self._program = program
        self._searching = searching
        self._multiline = flags.multiline
        self._registers = compiler.registers

    @property
    def pattern(self) -> str:
        """The pattern's source text (as ``re.Pattern.pattern``)."""
        return self.source

    def match_at(self, text: str, start: int) -> Match | None:
        """The match that starts exactly at ``start``, if any (JavaScript's sticky match)."""
        run = _Run(self, text)
        return run.at(start)

    def search(self, text: str, start: int = 0) -> Match | None:
        """The leftmost match at or after ``start``."""
        return _Run(self, text).search(start)

    def finditer(self, text: str) -> Iterator[Match]:
        """Every match, left to right; after an empty match the search moves on one character."""
        run = _Run(self, text)
        at = 0
        while at <= len(text):
            found = run.search(at)
            if found is None:
                return
            yield found
            at = found.end() if found.end() > found.start() else found.end() + 1

    def sub(self, replacement: Any, text: str, count: int = 0) -> str:
        r"""``text`` with each match (the first ``count``, if given) replaced.

        ``replacement`` is a function of the match, or a template in which
        ``\g<N>`` stands for group N (jsonata-python turns JSONata's ``$N`` into it).
        """
        parts: list[str] = []
        size = 0
        last = 0
        for done, found in enumerate(self.finditer(text)):
            if count and done >= count:
                break
            piece = replacement(found) if callable(replacement) else _expand(replacement, found)
            parts.append(text[last : found.start()])
            parts.append(piece)
            size += found.start() - last + len(piece)
            if size > budgets.MAX_HELD_UNITS:
                raise budgets.BudgetExceeded(budgets.MEMORY_LIMIT)
            last = found.end()
        parts.append(text[last:])
        return "".join(parts)

    def split(self, text: str, maxsplit: int = 0) -> list[str | None]:
        """``String.prototype.split`` by this pattern (captured groups included, as JavaScript does)."""
        run = _Run(self, text)
        if not text:
            return [] if run.at(0) is not None else [text]
        parts: list[str | None] = []
        last = position = 0
        while position < len(text):
            found = run.at(position)
            if found is None or found.end() == last or found.end() > len(text):
                position += 1
                continue
            parts.append(text[last:position])
            parts.extend(found.groups())
            last = position = found.end()
        parts.append(text[last:])
        return parts


def _expand(template: str, found: Match) -> str:
    r"""A ``\g<N>`` template for one match; anything else is literal (JavaScript has no escapes there)."""
    if "\\g<" not in template:
        return template
    out: list[str] = []
    at = 0
    while True:
        start = template.find("\\g<", at)
        if start < 0:
            out.append(template[at:])
            return "".join(out)
        close = template.find(">", start)
        number = template[start + 3 : close] if close > 0 else ""
        if not number.isdigit():
            out.append(template[at : start + 3])
            at = start + 3
            continue
        if int(number) > found.pattern_groups:
            # jsonata-python reads this message and retries with one digit fewer
            # ($12 with one group is group 1 and a '2'), as JavaScript reads it.
            raise ValueError(f"invalid group reference {number} at position {start + 1}")
        out.append(template[at:start])
        out.append(found.group(int(number)) or "")
        at = close + 1


class Match:
    """One match, with the part of ``re.Match``'s interface jsonata-python reads."""

    __slots__ = ("_text", "_slots", "pattern_groups")

    def __init__(self, text: str, slots: list[int], groups: int) -> None:
        self._text = text
        self._slots = slots
        self.pattern_groups = groups

    def start(self, group: int = 0) -> int:
        """Where ``group`` begins (-1 when it took no part)."""
        return self._slots[2 * group]

    def end(self, group: int = 0) -> int:
        """Where ``group`` ends (-1 when it took no part)."""
        return self._slots[2 * group + 1]

    def span(self, group: int = 0) -> tuple[int, int]:
        """``(start, end)`` of ``group``."""
        return self.start(group), self.end(group)

    def group(self, index: int = 0) -> str | None:
        """The text ``index`` matched (0: the whole match), None when it took no part."""
        start, end = self._slots[2 * index], self._slots[2 * index + 1]
        if start < 0 or end < 0:
            return None
        return self._text[start:end]

    def groups(self) -> tuple[str | None, ...]:
        """Every capturing group's text, in order."""
        return tuple(self.group(index) for index in range(1, self.pattern_groups + 1))

    def groupdict(self) -> dict[str, str | None]:
        """Named groups (jsonata-python reads none)."""
        return {}


class _Memory:
    """The (SPLIT, position) states a run went through without finding a match.

    Every state a run that fails goes through failed, whatever position it started
    from (without back-references and empty-loop checks, what happens from a state
    depends on nothing else), so later runs skip them. A run that matched went
    through states that did not fail: a new generation forgets them all at once.
    """

    __slots__ = ("marks", "generation")

    def __init__(self, states: int) -> None:
        self.marks = array("H", bytes(2 * states))
        self.generation = 1

    def next_generation(self) -> None:
        self.generation += 1
        if self.generation > 0xFFFF:
            self.marks = array("H", bytes(2 * len(self.marks)))
            self.generation = 1


class _Run:
    """Matching one pattern against one text: remembers failed states across attempts."""

    __slots__ = ("pattern", "text", "visited", "looks", "steps", "budget")

    def __init__(self, pattern: Pattern, text: str) -> None:
        self.pattern = pattern
        self.text = text
        self.visited: dict[int, _Memory | None] = {}
        self.looks: dict[tuple[int, int, int], list[int] | None] = {}
        self.steps = 0
        self.budget = budgets.current()

    def search(self, start: int) -> Match | None:
        """The leftmost match starting at or after ``start``."""
        pattern = self.pattern
        slots = self.execute(pattern._searching, 1, start, None)
        return None if slots is None else Match(self.text, slots, pattern.groups)

    def at(self, position: int) -> Match | None:
        """The match starting exactly at ``position``."""
        pattern = self.pattern
        slots = self.execute(pattern._program, 0, position, None)
        return None if slots is None else Match(self.text, slots, pattern.groups)

    def execute(self, program: _Program, key: int, start: int, end_at: int | None) -> list[int] | None:
        """Run ``program`` from ``start``; the capture slots of its first match, or None.

        ``end_at``: the match must end there (a lookbehind). ``key`` tells the
        memory of each (sub-)program apart.
        """
        text = self.text
        size = len(text)
        code = program.code
        slots = [-1] * (2 * self.pattern.groups + 2)
        slots[0] = start
        registers = [-1] * max(1, self.pattern._registers)
        memory = self._memory(program, key) if end_at is None else None
        visited = memory.marks if memory is not None else None
        generation = memory.generation if memory is not None else 0
        splits = program.splits
        stride = size + 1
        stack: list[tuple[int, int, int]] = []
        pc, position = 0, start
        steps = 0
        multiline = self.pattern._multiline
        while True:
            steps += 1
            if steps >= _CHARGE_EVERY:
                self.budget.regex(steps)
                steps = 0
            op, a, b = code[pc]
            ok = True
            if op == _CHAR:
                if position < size and text[position] == a:
                    position += 1
                    pc += 1
                    continue
                ok = False
            elif op == _TEST:
                if position < size and a(text[position]):
                    position += 1
                    pc += 1
                    continue
                ok = False
            elif op == _SPLIT:
                if visited is not None:
                    state = splits[pc] * stride + position
                    if visited[state] == generation:
                        ok = False
                    else:
                        visited[state] = generation
                if ok:
                    stack.append((0, b, position))
                    pc = a
                    continue
            elif op == _JMP:
                pc = a
                continue
            elif op == _SAVE:
                stack.append((1, a, slots[a]))
                slots[a] = position
                pc += 1
                continue
            elif op == _ASSERT:
                ok = _assertion(a, text, position, multiline)
            elif op == _LOOK:
                ok = self._look(program, a, b, position, slots, stack)
            elif op == _BACKREF:
                position, ok = self._backref(a, slots, position)
            elif op == _MARK:
                stack.append((2, a, registers[a]))
                registers[a] = position
                pc += 1
                continue
            elif op == _CHECK:
                ok = registers[a] != position
            elif op == _SCAN:
                # Skip to where the body's first instruction can match (it consumes one).
                if a == _CHAR:
                    found_at = text.find(b, position)
                    ok = found_at >= 0
                    position = found_at if ok else position
                elif a == _TEST:
                    while position < size and not b(text[position]):
                        position += 1
                    ok = position < size
                if ok:
                    pc += 1
                    continue
            else:  # _MATCH
                if end_at is None or position == end_at:
                    self.budget.regex(steps)
                    if memory is not None:
                        # The states on this match's own path did not fail: forget them all.
                        memory.next_generation()
                    slots[1] = position
                    return slots
                ok = False
            if ok:
                pc += 1
                continue
            while stack:
                kind, first, second = stack.pop()
                if kind == 0:
                    pc, position = first, second
                    break
                if kind == 1:
                    slots[first] = second
                else:
                    registers[first] = second
            else:
                self.budget.regex(steps)
                return None

    def _memory(self, program: _Program, key: int) -> _Memory | None:
        if key not in self.visited:
            states = len(program.splits) * (len(self.text) + 1)
            self.visited[key] = _Memory(states) if program.memo and states <= MAX_MEMORY_STATES else None
        return self.visited[key]

    def _look(
        self,
        program: _Program,
        index: int,
        kind: tuple[bool, bool],
        position: int,
        slots: list[int],
        stack: list[tuple[int, int, int]],
    ) -> bool:
        behind, negate = kind
        look = program.looks[index]
        key = (id(look), position, 0)
        if key in self.looks:
            found = self.looks[key]
        else:
            found = (
                self._look_behind(look, position) if behind else self.execute(look, id(look), position, None)
            )
            self.looks[key] = found
        if found is None:
            return negate
        if negate:
            return False
        for slot in range(2, len(slots)):
            if found[slot] >= 0 and found[slot] != slots[slot]:
                stack.append((1, slot, slots[slot]))
                slots[slot] = found[slot]
        return True

    def _look_behind(self, look: _Program, position: int) -> list[int] | None:
        for start in range(position + 1):
            found = self.execute(look, id(look), start, position)
            if found is not None:
                return found
        return None

    def _backref(self, index: int, slots: list[int], position: int) -> tuple[int, bool]:
        start, end = slots[2 * index], slots[2 * index + 1]
        if start < 0 or end < 0:
            return position, True
        captured = self.text[start:end]
        candidate = self.text[position : position + len(captured)]
        if self.pattern.flags.case_insensitive:
            same = len(candidate) == len(captured) and all(
                _fold(x) == _fold(y) for x, y in zip(candidate, captured, strict=True)
            )
        else:
            same = candidate == captured
        return (position + len(captured), True) if same else (position, False)


def _first_instruction(program: _Program) -> Instruction:
    """The instruction every match starts with, when it consumes a character (else MATCH)."""
    for instruction in program.code:
        if instruction[0] == _SAVE:
            continue
        if instruction[0] in (_CHAR, _TEST):
            return instruction
        break
    return (_MATCH, None, None)


def _assertion(kind: str, text: str, position: int, multiline: bool) -> bool:
    if kind == "^":
        return position == 0 or (multiline and text[position - 1] in LINE_TERMINATORS)
    if kind == "$":
        return position == len(text) or (multiline and text[position] in LINE_TERMINATORS)
    before = position > 0 and is_word(text[position - 1])
    after = position < len(text) and is_word(text[position])
    return (before != after) == (kind == "b")


def compile_pattern(source: str, flags: RegexFlags) -> Pattern:
    """jsonata-python's ``regex_engine``: a JSONata regex literal as a :class:`Pattern`.

    Raises:
        JException: the pattern is not a JavaScript regular expression (the message
            is JavaScript's; the definition is refused).
    """
    try:
        return Pattern(source, flags)
    except RegexSyntaxError as error:
        raise JException(str(error), 0) from None
