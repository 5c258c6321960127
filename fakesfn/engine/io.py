"""Input and output processing, in AWS's documented order.

JSONPath states: InputPath -> Parameters -> (the state's work) -> ResultSelector
-> ResultPath -> OutputPath. JSONata states: Arguments -> (work) -> Output, with
``$states`` bound to the input, the result and the Context object. Each step is
a small pure function raising the error AWS raises for it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from fakesfn.asl.errors import StateFieldError
from fakesfn.asl.nodes import UNSET, Unset
from fakesfn.asl.paths import MISSING, Path, set_path

if TYPE_CHECKING:
    from fakesfn.asl.context import Env
    from fakesfn.asl.nodes import Evaluable, State


def invalid_path(path: Path, value: Any, env: Env) -> StateFieldError:
    """AWS's failure for an InputPath/OutputPath/...Path that selects nothing (Jayway's words)."""
    return StateFieldError(f"Invalid path '{path.text}' : {path.not_found(value, env)}")


def select(path: Path | None | Unset, value: Any, env: Env) -> Any:
    """Apply an InputPath/OutputPath: absent keeps ``value``, null gives ``{}``."""
    if path is UNSET:
        return value
    if path is None:
        return {}
    assert isinstance(path, Path)
    if path.steps is not None and not path.steps and path.root == "$":
        return value
    found = path.find(value, env)
    if found is MISSING:
        raise invalid_path(path, value, env)
    return found


def apply_template(template: Evaluable | None, value: Any, env: Env) -> Any:
    """Apply Parameters / ResultSelector / ItemSelector when present."""
    if template is None:
        return value
    return template.evaluate(value, env)


def apply_result_path(path: Path | None | Unset, state_input: Any, result: Any) -> Any:
    """Place ``result`` into ``state_input`` at ResultPath (absent: replace; null: discard)."""
    if path is UNSET:
        return result
    if path is None:
        return state_input
    assert isinstance(path, Path)
    if not path.steps:
        return result
    return set_path(state_input, path, result)


def process_input(state: State, raw_input: Any, env: Env) -> Any:
    """InputPath then Parameters: the effective input of a JSONPath state."""
    return apply_template(state.parameters, select(state.input_path, raw_input, env), env)


def process_result(state: State, raw_input: Any, result: Any, env: Env) -> tuple[Any, Any]:
    """ResultSelector, ResultPath, OutputPath; returns ``(selected_result, output)``.

    The selected result (after ResultSelector) is what JSONPath ``Assign`` reads.
    """
    selected = apply_template(state.result_selector, result, env)
    return selected, select(state.output_path, apply_result_path(state.result_path, raw_input, selected), env)
