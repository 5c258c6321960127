"""The Backend: one fake Step Functions world, shared by any number of clients.

It owns the store (state machines, executions, activities...), the virtual
clock, the seeded randomness and the runtime that runs executions. Clients
reach it through their transport; users reach its controls directly
(``client.backend.advance(60)``). Every entry point takes the backend's lock, so
one backend can be used from several threads.
"""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING, Any

from fakesfn.clock import VirtualClock, duration_seconds, from_epoch, iso, to_epoch
from fakesfn.engine import stepping
from fakesfn.engine.runtime import Runtime
from fakesfn.integrations.s3 import SessionStorage
from fakesfn.integrations.services import TaskServices
from fakesfn.random import SeededRandom
from fakesfn.service import operations as _operations  # noqa: F401 - registers every operation
from fakesfn.service.api import InProcessApi
from fakesfn.service.errors import ServiceError
from fakesfn.service.registry import Caller, dispatch
from fakesfn.service.store import Store
from fakesfn.wire import DEFAULT_ACCOUNT_ID, DEFAULT_REGION, encode_error, encode_result

if TYPE_CHECKING:
    import datetime as _dt
    from collections.abc import Callable
    from pathlib import Path

    from fakesfn.engine.execution import ExecutionRecord
    from fakesfn.iac.stack import Stack
    from fakesfn.integrations.http_tasks import HttpHandler
    from fakesfn.integrations.mocks import Mocks
    from fakesfn.integrations.services import AwsSession

_POLLING_OPERATIONS = frozenset(
    {
        "DescribeExecution",
        "GetExecutionHistory",
        "ListExecutions",
        "DescribeMapRun",
        "ListMapRuns",
        "GetActivityTask",
    }
)
"""Calls that auto-advance mode treats as polling: each moves the clock to the next timer."""

DEFAULT_AUTO_ADVANCE_STEP = 1.0
"""Seconds one polling call may move the clock while a task waits for a worker or a token."""

_REQUEST_ID_STREAM = 0x5F5E_ADD1
"""Request ids come from their own stream so read-only calls never shift other draws."""

_WATCHERS: list[Callable[[Backend], None]] = []
"""Called with every new backend (see :func:`watch_backends`); empty unless a tool records."""


def watch_backends(watcher: Callable[[Backend], None]) -> Callable[[], None]:
    """Call ``watcher(backend)`` for every backend built from now on; returns the function that stops it.

    Why a process-wide hook: a tool that observes a whole test session (``pytest
    --sfn-cov``) must reach the backends the code under test builds for itself
    (``FakeSFNClient()``, ``mock_sfn()``), which no fixture hands it. A backend's
    :meth:`~Backend.reset` builds its fresh world through the constructor, so the
    watcher sees that world too. Unwatched, building a backend costs one empty loop.
    """
    _WATCHERS.append(watcher)

    def unwatch() -> None:
        if watcher in _WATCHERS:
            _WATCHERS.remove(watcher)

    return unwatch


class Backend:
    """The in-process Step Functions service behind one or more fake clients.

    Args:
        seed: seeds every random choice (names, tokens, UUIDs, jitter).
        start_time: where virtual time starts (default 2024-01-01T00:00:00Z).
    """

    def __init__(
        self,
        seed: int = 0,
        start_time: _dt.datetime | None = None,
        *,
        region_name: str = DEFAULT_REGION,
        account_id: str = DEFAULT_ACCOUNT_ID,
    ) -> None:
        self.seed = seed
        self._start_time = start_time
        self.region_name = region_name
        """The region the backend's own conveniences (:meth:`deploy_template`) speak for
        by default: the one of the client, fixture or ``mock_sfn`` that made it. Every
        client names its own region in the calls it makes."""
        self.account_id = account_id
        """The account :meth:`deploy_template` deploys into by default (see ``region_name``)."""
        self.clock = VirtualClock(start_time)
        self.random = SeededRandom(seed)
        self._request_ids = SeededRandom(seed ^ _REQUEST_ID_STREAM)
        self.runtime = Runtime(self.clock, self.random)
        self.services = TaskServices()
        self.store = Store(clock=self.clock, random=self.random, runtime=self.runtime, services=self.services)
        self.services.api = InProcessApi(self.store)
        # The engine's ports: tasks run on the integrations, Distributed Map children
        # and Map Runs are kept in the store, S3 is reached through the session.
        self.runtime.tasks = self.services
        self.runtime.host = self.store
        self.runtime.storage = SessionStorage(self.services, self.random)
        self.lock = threading.RLock()
        self.auto_advance = False
        self._auto_advance_step: float | None = DEFAULT_AUTO_ADVANCE_STEP
        self.stacks: dict[tuple[str, str, str], Stack] = {}
        """Deployed templates by (region, account, stack name): see :meth:`deploy_template`."""
        for watcher in tuple(_WATCHERS):
            watcher(self)

    # integrations --------------------------------------------------------------------

    @property
    def aws_session(self) -> AwsSession | None:
        """The boto3 session aws-sdk and optimized integrations call (moto's ``mock_aws`` works).

        ``None`` (the default): such tasks fail with an error saying to set it.
        """
        return self.services.aws_session

    @aws_session.setter
    def aws_session(self, session: AwsSession | None) -> None:
        self.services.aws_session = session

    @property
    def mocks(self) -> Mocks:
        """Mocked task results: ``backend.mocks.state("Charge").returns({...})``, mock configurations."""
        with self.lock:  # the first use installs them: two threads must not install two
            return self.services.use_mocks()

    @property
    def auto_advance_step(self) -> float | None:
        """With ``auto_advance``: the most seconds one poll moves the clock while a task awaits a worker.

        Default 1 second. ``None`` lifts the bound: each poll jumps to the next timer,
        so a heartbeat or task timeout fires on the first poll nobody answered.
        """
        return self._auto_advance_step

    @auto_advance_step.setter
    def auto_advance_step(self, seconds: float | _dt.timedelta | None) -> None:
        if seconds is None:
            self._auto_advance_step = None
            return
        step = duration_seconds(seconds)
        if step <= 0:
            raise ValueError("auto_advance_step must be a positive number of seconds, or None")
        self._auto_advance_step = step

    # the wire ------------------------------------------------------------------------

    def handle(
        self, operation: str, params: dict[str, Any], *, region: str, account_id: str
    ) -> tuple[int, bytes, str]:
        """Answer one API call: ``(status, JSON body, request id)``."""
        with self.lock:
            request_id = self._request_ids.uuid()
            if self.auto_advance and operation in _POLLING_OPERATIONS:
                self._advance_to_next_timer()
            checkpoint = self.random.checkpoint()
            try:
                result = dispatch(self.store, Caller(region, account_id), operation, params)
            except ServiceError as error:
                # AWS: a refused call changes nothing, and that includes the seeded
                # stream: a name or version drawn before the refusal is taken back, so
                # later generated names are what they would have been without the call.
                self.random.rewind(checkpoint)
                status, body = encode_error(error)
                return status, body, request_id
            self.runtime.run()
            return 200, encode_result(result), request_id

    # lambdas -------------------------------------------------------------------------

    def register_lambda(
        self, name_or_arn: str, handler: Callable[[Any, Any], Any], duration: float = 0
    ) -> None:
        """Make ``handler(event, context)`` answer invocations of a Lambda function.

        Args:
            name_or_arn: the function's name or ARN (any qualifier matches).
            handler: returns the payload (JSON-able, or bytes for a raw payload);
                raising :class:`fakesfn.LambdaError` sets the error exactly, any
                other exception becomes an ``Unhandled`` function error.
            duration: virtual seconds one invocation takes.
        """
        with self.lock:
            self.services.lambdas.register(name_or_arn, handler, duration)

    def register_http(self, handler: HttpHandler, endpoint: str = "", duration: float = 0) -> None:
        """Make ``handler(request)`` answer HTTP Tasks (``arn:aws:states:::http:invoke``).

        Args:
            handler: receives a :class:`fakesfn.HttpRequest`; returns a
                :class:`fakesfn.HttpResponse`, or any other value as a 200 response with
                that body. An exception fails the task with ``States.Http.Socket``.
            endpoint: answer only URLs starting with this prefix (the longest registered
                prefix wins); "" answers every URL.
            duration: virtual seconds one call takes.
        """
        with self.lock:
            self.services.http.register(handler, endpoint, duration)

    # infrastructure as code ----------------------------------------------------------

    def deploy_template(
        self,
        template: str | Path | dict[str, Any],
        parameters: dict[str, Any] | None = None,
        *,
        stack_name: str | None = None,
        region_name: str | None = None,
        account_id: str | None = None,
        tags: dict[str, str] | None = None,
        resource_values: dict[str, dict[str, Any]] | None = None,
        imports: dict[str, Any] | None = None,
    ) -> Stack:
        """Deploy a CloudFormation, SAM or ``cdk synth`` template; returns the stack.

        ``stack.state_machines``, ``stack.activities`` and ``stack.functions`` map
        logical ids to ARNs (register Lambda stand-ins on the latter);
        ``stack.outputs`` resolves the template's outputs. Deploying the same
        stack name again updates the stack in place, as CloudFormation does.

        Args:
            template: a JSON or YAML file (YAML needs ``fakesfn[yaml]``), or a parsed dict.
            parameters: parameter values by name (defaults fill the rest).
            stack_name: ``AWS::StackName`` (default: the file name up to its first dot).
            region_name: the region every ARN names (default: the backend's
                :attr:`region_name`, that of the client, fixture or ``mock_sfn`` that made it).
            account_id: the account every ARN names (default: the backend's :attr:`account_id`).
            tags: stack-level tags, added to every state machine and activity.
            resource_values: logical id -> ``{"Ref": ..., "<Attribute>": ...}`` for
                resources whose values only AWS knows (custom resources, nested stacks).
            imports: export name -> value for ``Fn::ImportValue`` of stacks not deployed here.

        Raises:
            fakesfn.iac.TemplateError: what is wrong and where (resource and property). Its
                subclass ``DeployError`` carries the service's error code (``InvalidDefinition``...).
        """
        # Imported when first used: `import fakesfn` stays light (templates may need YAML).
        from fakesfn.iac.deploy import deploy_template

        return deploy_template(
            self,
            template,
            parameters,
            stack_name=stack_name,
            region_name=region_name if region_name is not None else self.region_name,
            account_id=account_id if account_id is not None else self.account_id,
            tags=tags,
            resource_values=resource_values,
            imports=imports,
        )

    # virtual time --------------------------------------------------------------------

    def advance(self, by: float | _dt.timedelta) -> None:
        """Move virtual time forward, running everything that falls due on the way.

        Args:
            by: seconds (``advance(90)``, ``advance(0.5)``) or a
                :class:`~datetime.timedelta` (``advance(timedelta(days=1))``).

        Raises:
            ValueError: ``by`` is negative: virtual time never moves backwards.
            TypeError: ``by`` is neither a number nor a timedelta.
        """
        seconds = duration_seconds(by)
        with self.lock:
            self._run_until(self.clock.time() + seconds)

    def move_to(self, when: _dt.datetime) -> None:
        """Move virtual time forward to ``when``, running everything that falls due on the way.

        Args:
            when: the instant to reach; a naive datetime means UTC (as for ``start_time``).

        Raises:
            ValueError: ``when`` is before the clock's current instant.
        """
        target = to_epoch(when)
        with self.lock:
            now = self.clock.time()
            if target < now:
                raise ValueError(
                    f"cannot move virtual time backwards to {iso(target)}: the clock is already at "
                    f"{iso(now)}; start a new backend (or reset()) to go back to its start"
                )
            self._run_until(target)

    def settle(self, max_seconds: float | None = None) -> float:
        """Run until nothing can happen without an outside actor; return seconds advanced.

        Timers (Waits, backoffs, durations, timeouts) fire in order; the clock stops
        at the last one that fired. With ``max_seconds`` the clock moves at most that
        far (and ends exactly there when timers were still pending).
        """
        with self.lock:
            start = self.clock.time()
            limit = None if max_seconds is None else start + max_seconds
            self.runtime.run()
            while True:
                due = self.clock.next_due()
                if due is None or (limit is not None and due > limit):
                    break
                if limit is None and not self.clock.has_foreground():
                    # Only execution lifetimes (a year away) are left: everything
                    # else waits for an outside actor.
                    break
                self._run_until(due)
            if limit is not None and self.clock.next_due() is not None:
                self._run_until(limit)
            return self.clock.time() - start

    def next_due(self) -> _dt.datetime | None:
        """When the next timer falls due, or ``None`` when nothing is scheduled."""
        with self.lock:
            due = self.clock.next_due()
            return None if due is None else from_epoch(due)

    def _advance_to_next_timer(self) -> None:
        """Auto-advance: a polling call finds the clock moved towards the next timer.

        While a task waits for an outside actor (a worker answering a task token, an
        activity worker), the clock moves at most ``auto_advance_step`` seconds per
        poll, so the worker gets its turn before a heartbeat or task timeout (or the
        execution's one-year lifetime) fires. Otherwise it jumps to the next timer,
        never to an execution's lifetime alone: only an outside actor could end that wait.
        """
        clock = self.clock
        due = clock.next_due()
        if due is None:
            return
        step = self.auto_advance_step
        if self.services.tokens.awaits_worker():
            if step is not None:
                due = min(due, clock.time() + step)
        elif not clock.has_foreground():
            return
        self._run_until(due)

    # stepping ------------------------------------------------------------------------

    def pause_executions(self, paused: bool = True) -> None:
        """Start new executions in stepping mode: each stops before entering every state."""
        with self.lock:
            self.runtime.stepping_new = paused

    def step(self, execution_arn: str) -> list[dict[str, Any]]:
        """Let one state transition of a stepping execution happen; return its new events.

        When the execution waits only on virtual time (a Wait, a backoff), the clock
        moves to its next timer instead. Events are in the wire shape (epoch-second
        timestamps), as ``get_execution_history`` would report them.
        """
        with self.lock:
            return stepping.step(self.runtime, self.clock, self._execution(execution_arn))

    def break_before(self, execution_arn: str, state_name: str) -> list[dict[str, Any]]:
        """Step until ``state_name`` is about to be entered; return the events recorded meanwhile."""
        with self.lock:
            return stepping.run_until(self.runtime, self.clock, self._execution(execution_arn), state_name)

    def next_state(self, execution_arn: str) -> str | None:
        """The state a stepping execution will enter next, or ``None``."""
        with self.lock:
            return stepping.next_state(self._execution(execution_arn))

    def _execution(self, arn: str) -> ExecutionRecord:
        execution = self.store.executions.get(arn)
        if execution is None:
            raise KeyError(f"no execution {arn!r} in this backend")
        return execution

    # lifecycle -----------------------------------------------------------------------

    def reset(self) -> None:
        """Forget everything (machines, executions, timers, lambdas, mocks); keep seed and start time.

        The AWS session and a tool recording the backend (coverage) stay with it.
        """
        with self.lock:
            fresh = Backend(
                seed=self.seed,
                start_time=self._start_time,
                region_name=self.region_name,
                account_id=self.account_id,
            )
            session = self.aws_session
            observer, watcher = self.runtime.observer, self.store.watcher
            self.__dict__.update({k: v for k, v in fresh.__dict__.items() if k != "lock"})
            self.aws_session = session
            # A tool recording this backend (coverage) records the fresh world too.
            if self.runtime.observer is None:
                self.runtime.observer = observer
            if self.store.watcher is None:
                self.store.watcher = watcher

    def _run_until(self, target: float) -> None:
        self.runtime.run()
        self.clock.advance(max(0.0, target - self.clock.time()))
        self.runtime.run()
