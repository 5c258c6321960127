"""``mock_sfn()``: make boto3's Step Functions clients fakes, leave every other service alone.

While active, ``botocore.session.Session.create_client`` hands out a fake (on
one shared :class:`~fakesfn.backend.Backend`) whenever the service is
``stepfunctions``; any other service goes to the original method untouched. That
covers ``boto3.client``, ``boto3.Session(...).client`` and the default session,
and composes with moto's ``mock_aws`` (which works one level lower, on request
sending). The patch is undone on exit, and nested or repeated activations
restore exactly what they replaced.
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

import botocore.session

from fakesfn.backend import Backend
from fakesfn.client import DEFAULT_ACCOUNT_ID, DEFAULT_REGION, attach, merged_config

if TYPE_CHECKING:
    import datetime as _dt
    from types import TracebackType

_F = TypeVar("_F", bound=Callable[..., Any])
_SERVICE = "stepfunctions"


class mock_sfn:  # noqa: N801 - used like a function, as moto's mock_aws is
    """Patch boto3 so ``stepfunctions`` clients are fakes sharing one backend.

    Use as a context manager (``with mock_sfn() as backend:``), a function or
    class decorator, or with explicit :meth:`start` / :meth:`stop`.

    Args:
        seed: seeds the backend's random choices.
        start_time: where the backend's virtual clock starts.
        account_id: the account fake clients speak for.
        backend: share an existing backend instead of creating one.
    """

    def __init__(
        self,
        *,
        seed: int = 0,
        start_time: _dt.datetime | None = None,
        account_id: str = DEFAULT_ACCOUNT_ID,
        backend: Backend | None = None,
    ) -> None:
        self.backend = backend if backend is not None else Backend(seed=seed, start_time=start_time)
        self.account_id = account_id
        self._original: Any = None

    def start(self) -> Backend:
        """Activate the patch; returns the shared backend."""
        if self._original is not None:
            raise RuntimeError("mock_sfn is already active")
        original = botocore.session.Session.create_client
        self._original = original
        backend, account_id = self.backend, self.account_id

        @functools.wraps(original)
        def create_client(
            session: botocore.session.Session, service_name: str, *args: Any, **kwargs: Any
        ) -> Any:
            if service_name != _SERVICE:
                return original(session, service_name, *args, **kwargs)
            kwargs["config"] = merged_config(kwargs.get("config"))
            if kwargs.get("region_name") is None and session.get_config_variable("region") is None:
                # A drop-in must not fail where no AWS region is configured (CI, laptops).
                kwargs["region_name"] = DEFAULT_REGION
            client = original(session, service_name, *args, **kwargs)
            attach(client, backend, client.meta.region_name, account_id)
            return client

        botocore.session.Session.create_client = create_client
        return backend

    def stop(self) -> None:
        """Undo the patch."""
        if self._original is None:
            return
        botocore.session.Session.create_client = self._original
        self._original = None

    def __enter__(self) -> Backend:
        return self.start()

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()

    def __call__(self, target: _F) -> _F:
        """Decorate a function (a fresh backend per call) or every test method of a class."""
        if inspect.isclass(target):
            for name, member in list(vars(target).items()):
                if name.startswith("test") and callable(member):
                    setattr(target, name, self._wrap(member))
            return target
        return self._wrap(target)

    def _wrap(self, func: _F) -> _F:
        seed, account_id = self.backend.seed, self.account_id

        @functools.wraps(func)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            with mock_sfn(seed=seed, account_id=account_id):
                return func(*args, **kwargs)

        return wrapper  # type: ignore[return-value]


__all__ = ["mock_sfn"]
