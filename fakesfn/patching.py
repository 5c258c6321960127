"""``mock_sfn()``: make boto3's Step Functions clients fakes, leave every other service alone.

While active, ``botocore.session.Session.create_client`` hands out a fake (on
one shared :class:`~fakesfn.backend.Backend`) whenever the service is
``stepfunctions``; any other service goes to the original method untouched. That
covers ``boto3.client``, ``boto3.Session(...).client``, botocore sessions, and,
when aiobotocore is installed, ``aiobotocore`` / ``aioboto3`` clients. It composes
with moto's ``mock_aws`` (which works one level lower, on request sending). The
patch is undone on exit, and nested or repeated activations restore exactly what
they replaced.

As a decorator it follows moto's ``@mock_aws``: a function gets a fresh world
per call; a class gets one per test, active in ``setUp``, the test and
``tearDown`` alike (and in ``setUpClass`` / ``tearDownClass``: see
:meth:`mock_sfn.__call__`).
"""

from __future__ import annotations

import functools
import importlib.util
import inspect
import threading
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

import botocore.session

from fakesfn.backend import Backend
from fakesfn.client import PRIVATE_SESSION, attach, merged_config
from fakesfn.wire import DEFAULT_ACCOUNT_ID, DEFAULT_REGION

if TYPE_CHECKING:
    import datetime as _dt
    from types import TracebackType

_F = TypeVar("_F", bound=Callable[..., Any])
_T = TypeVar("_T")
_SERVICE = "stepfunctions"
_INSTANCE_WORLD = "_fakesfn_backend"
_CLASS_WORLD = "_fakesfn_class_backend"

_PER_TEST = frozenset({"setUp", "tearDown", "setup_method", "teardown_method", "asyncSetUp", "asyncTearDown"})
_CLASS_SETUP = ("setUpClass", "setup_class")
_CLASS_TEARDOWN = ("tearDownClass", "teardown_class")

_PATCH_LOCK = threading.Lock()


@functools.lru_cache(maxsize=1)
def _aiobotocore_installed() -> bool:
    return importlib.util.find_spec("aiobotocore") is not None


def _patch_botocore(backend: Backend, account_id: str, default_region: str) -> Callable[[], None]:
    original = botocore.session.Session.create_client

    @functools.wraps(original)
    def create_client(session: botocore.session.Session, service_name: str, *args: Any, **kwargs: Any) -> Any:
        if service_name != _SERVICE or getattr(session, PRIVATE_SESSION, False):
            return original(session, service_name, *args, **kwargs)
        kwargs["config"] = merged_config(kwargs.get("config"))
        if not args and kwargs.get("region_name") is None and session.get_config_variable("region") is None:
            # A drop-in must not fail where no AWS region is configured (CI, laptops).
            kwargs["region_name"] = default_region
        client = original(session, service_name, *args, **kwargs)
        attach(client, backend, client.meta.region_name, account_id)
        return client

    setattr(botocore.session.Session, "create_client", create_client)  # noqa: B010 - a method: mypy refuses =

    def undo() -> None:
        setattr(botocore.session.Session, "create_client", original)  # noqa: B010

    return undo


class mock_sfn:  # noqa: N801 - used like a function, as moto's mock_aws is
    """Patch boto3 so ``stepfunctions`` clients are fakes sharing one backend.

    Use as a context manager (``with mock_sfn() as backend:``), a function or
    class decorator (``@mock_sfn(seed=7)``), or with explicit :meth:`start` /
    :meth:`stop`. Every option applies however it is used.

    Args:
        seed: seeds the backend's random choices.
        start_time: where the backend's virtual clock starts (a naive datetime means UTC).
        account_id: the account fake clients speak for.
        region_name: the region of fake clients made where no region is configured
            (default ``us-east-1``); a client's own region setting wins.
        backend: share an existing backend instead of creating one; a decorator
            then uses it for every call, instead of a fresh world per call.
    """

    def __init__(
        self,
        *,
        seed: int = 0,
        start_time: _dt.datetime | None = None,
        account_id: str = DEFAULT_ACCOUNT_ID,
        region_name: str | None = None,
        backend: Backend | None = None,
    ) -> None:
        self._seed = seed
        self._start_time = start_time
        self._shared = backend
        self.account_id = account_id
        self.region_name = region_name if region_name is not None else DEFAULT_REGION
        self.backend = backend if backend is not None else self._fresh()
        self._undo: list[Callable[[], None]] | None = None

    # the patch --------------------------------------------------------------------

    def start(self) -> Backend:
        """Activate the patch; returns the shared backend."""
        with _PATCH_LOCK:
            if self._undo is not None:
                raise RuntimeError("mock_sfn is already active")
            undo = [_patch_botocore(self.backend, self.account_id, self.region_name)]
            if _aiobotocore_installed():
                from fakesfn.client.aio import patch_sessions

                undo.append(patch_sessions(self.backend, self.account_id, self.region_name))
            self._undo = undo
        return self.backend

    def stop(self) -> None:
        """Undo the patch (harmless when it is not active)."""
        with _PATCH_LOCK:
            undo, self._undo = self._undo, None
        for step in reversed(undo or ()):
            step()

    def __enter__(self) -> Backend:
        return self.start()

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()

    # decorating -------------------------------------------------------------------

    def _world(self) -> Backend:
        """The backend one decorated call runs on: the shared one, or a fresh world."""
        if self._shared is not None:
            return self._shared
        return self._fresh()

    def _fresh(self) -> Backend:
        """A new world, speaking by default for this patch's region and account."""
        return Backend(
            seed=self._seed,
            start_time=self._start_time,
            region_name=self.region_name,
            account_id=self.account_id,
        )

    def _patched(self, backend: Backend) -> mock_sfn:
        return mock_sfn(account_id=self.account_id, region_name=self.region_name, backend=backend)

    def __call__(self, target: _T) -> _T:
        """Decorate a function (a fresh world per call) or a class (a fresh world per test).

        On a class (a ``unittest.TestCase`` or a pytest test class), every method
        whose name starts with ``test``, and ``setUp`` / ``tearDown`` (or
        ``setup_method`` / ``teardown_method``, ``asyncSetUp`` / ``asyncTearDown``),
        run patched, on one world per test: what ``setUp`` creates, the test sees,
        and ``tearDown`` still reaches it. ``setUpClass`` / ``tearDownClass`` (or
        ``setup_class`` / ``teardown_class``) run patched too. When the class
        defines a class-level setup, its world is the one every test of the class
        runs on: that is what unittest means by ``setUpClass`` (state shared by the
        class's tests).
        """
        if inspect.isclass(target):
            return self._decorate_class(target)  # type: ignore[return-value]
        if not callable(target):
            raise TypeError(f"mock_sfn() decorates functions and classes, not {type(target).__name__}")
        return self._decorate_function(target)

    def _decorate_function(self, func: _F) -> _F:
        if inspect.iscoroutinefunction(func):

            @functools.wraps(func)
            async def async_wrapper(*args: Any, **kwargs: Any) -> Any:
                with self._patched(self._world()):
                    return await func(*args, **kwargs)

            return async_wrapper  # type: ignore[return-value]

        @functools.wraps(func)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            with self._patched(self._world()):
                return func(*args, **kwargs)

        return wrapper  # type: ignore[return-value]

    def _decorate_class(self, klass: type) -> type:
        for name, member in _user_methods(klass).items():
            if isinstance(member, (staticmethod, classmethod)) or not callable(member):
                continue
            if name.startswith("test") or name in _PER_TEST:
                setattr(klass, name, self._per_test(member))
        for name in _CLASS_SETUP:
            if _defines(klass, name):
                setattr(klass, name, classmethod(self._class_setup(_class_function(klass, name))))
        for name in _CLASS_TEARDOWN:
            if _defines(klass, name):
                setattr(klass, name, classmethod(self._class_teardown(_class_function(klass, name))))
        return klass

    def _per_test(self, method: _F) -> _F:
        """A method running on its test's world (made by whichever of setUp or the test runs first)."""

        def world(instance: Any) -> Backend:
            found = instance.__dict__.get(_INSTANCE_WORLD) or getattr(type(instance), _CLASS_WORLD, None)
            if found is None:
                found = instance.__dict__[_INSTANCE_WORLD] = self._world()
            assert isinstance(found, Backend)
            return found

        if inspect.iscoroutinefunction(method):

            @functools.wraps(method)
            async def async_wrapper(instance: Any, *args: Any, **kwargs: Any) -> Any:
                with self._patched(world(instance)):
                    return await method(instance, *args, **kwargs)

            return async_wrapper  # type: ignore[return-value]

        @functools.wraps(method)
        def wrapper(instance: Any, *args: Any, **kwargs: Any) -> Any:
            with self._patched(world(instance)):
                return method(instance, *args, **kwargs)

        return wrapper  # type: ignore[return-value]

    def _class_setup(self, func: Callable[[type], Any]) -> Callable[[type], Any]:
        def setup(klass: type) -> Any:
            backend = self._world()
            setattr(klass, _CLASS_WORLD, backend)
            try:
                with self._patched(backend):
                    return func(klass)
            except BaseException:
                # unittest skips tearDownClass when setUpClass fails: forget the world here.
                _forget(klass)
                raise

        functools.update_wrapper(setup, func)
        return setup

    def _class_teardown(self, func: Callable[[type], Any]) -> Callable[[type], Any]:
        def teardown(klass: type) -> Any:
            backend = klass.__dict__.get(_CLASS_WORLD) or self._world()
            try:
                with self._patched(backend):
                    return func(klass)
            finally:
                _forget(klass)

        functools.update_wrapper(teardown, func)
        return teardown


def _user_classes(klass: type) -> list[type]:
    """``klass`` and its bases, less unittest's own classes and ``object``."""
    return [
        base for base in klass.__mro__ if base is not object and not base.__module__.startswith("unittest")
    ]


def _user_methods(klass: type) -> dict[str, Any]:
    """Every attribute the user's classes define, as ``klass`` resolves it (nearest class wins)."""
    found: dict[str, Any] = {}
    for base in reversed(_user_classes(klass)):
        found.update(vars(base))
    return found


def _class_function(klass: type, name: str) -> Callable[[type], Any]:
    """The function behind a class-level hook (a classmethod, or a plain function taking the class)."""
    member = inspect.getattr_static(klass, name)
    if isinstance(member, classmethod):
        return member.__func__
    if isinstance(member, staticmethod):
        static = member.__func__
        return lambda _klass: static()
    return member  # type: ignore[no-any-return]


def _defines(klass: type, name: str) -> bool:
    """Whether ``klass`` or a base other than unittest's own / ``object`` defines ``name``."""
    return any(name in vars(base) for base in _user_classes(klass))


def _forget(klass: type) -> None:
    if _CLASS_WORLD in vars(klass):
        delattr(klass, _CLASS_WORLD)


__all__ = ["mock_sfn"]
