"""The private botocore session fake clients are built from, made cheap to start.

A botocore session builds its first client from three data files: the service
model, the endpoint rules, and ``endpoints.json``, the hostname of every service
in every region (1.2 MB of JSON: ~40 ms to parse, ~23,000 objects that every later
full garbage collection walks, and pytest runs several at exit). A fake client
needs only one fact from that file: which partition its region belongs to
(``client.meta.partition``), since its endpoint URL is always given and it never
signs. So the session here answers that from ``partitions.json`` (7 KB, already
read for ARNs), and loads ``endpoints.json`` only for a question it cannot answer
(a FIPS or dual-stack endpoint, another service).

It also shares one data loader with the service layer, which reads the same Step
Functions model for its ARN length limits: one model in memory, read once.
"""

from __future__ import annotations

import functools
import os
from typing import Any

import botocore.session
from botocore.regions import EndpointResolver

from fakesfn.integrations.sdk import data_loader
from fakesfn.service.partitions import partition_of

PRIVATE_SESSION = "_fakesfn_private"
"""Marks the session fake clients are built from: ``mock_sfn`` must not attach its own transport."""

_SERVICE = "states"
"""The endpoint prefix of Step Functions in botocore's endpoint data."""


class StatesEndpoints:
    """Endpoint metadata for ``states`` without ``endpoints.json``; botocore's resolver otherwise.

    Botocore's client factory asks the resolver for a region's endpoint and keeps its
    partition (``client.meta.partition``), its protocols and signature versions; the
    hostname only matters when no endpoint URL is given, and fake clients always
    give one. Anything else (another service, a FIPS or dual-stack variant, an
    explicit partition) goes to botocore's own resolver, loaded on first need.
    """

    uses_builtin_data = True

    def construct_endpoint(
        self,
        service_name: str,
        region_name: str | None = None,
        partition_name: str | None = None,
        use_dualstack_endpoint: bool = False,
        use_fips_endpoint: bool = False,
    ) -> dict[str, Any] | None:
        """Where ``service_name`` answers in ``region_name``, as botocore's resolver says it."""
        if (
            service_name != _SERVICE
            or region_name is None
            or partition_name is not None
            or use_dualstack_endpoint
            or use_fips_endpoint
        ):
            return _botocore_resolver().construct_endpoint(
                service_name,
                region_name,
                partition_name=partition_name,
                use_dualstack_endpoint=use_dualstack_endpoint,
                use_fips_endpoint=use_fips_endpoint,
            )
        return {
            "partition": partition_of(region_name),
            "endpointName": region_name,
            "protocols": ["https"],
            "signatureVersions": ["v4"],
        }

    def get_available_partitions(self) -> list[str]:
        """Every partition botocore knows."""
        return _botocore_resolver().get_available_partitions()

    def get_available_endpoints(
        self,
        service_name: str,
        partition_name: str = "aws",
        allow_non_regional: bool = False,
        endpoint_variant_tags: Any = None,
    ) -> list[str]:
        """Every region ``service_name`` answers in within ``partition_name``."""
        return _botocore_resolver().get_available_endpoints(
            service_name, partition_name, allow_non_regional, endpoint_variant_tags
        )


@functools.lru_cache(maxsize=1)
def _botocore_resolver() -> EndpointResolver:
    endpoints, path = data_loader().load_data_with_path("endpoints")
    return EndpointResolver(endpoints, uses_builtin_data=data_loader().is_builtin_path(path))


@functools.lru_cache(maxsize=1)
def private_session() -> botocore.session.Session:
    """The private botocore session fake clients are built from.

    A session costs ~5 ms to build (handlers, components) and its loader caches the
    Step Functions model and endpoint rules for every later client. It holds nothing
    else a fake client needs: clients are unsigned, and their endpoint and region are
    always given. Each client still gets its own copy of the session's event system,
    so no hook registered on one client (a Stubber, a user's handler) reaches another.
    Nobody outside this package can reach the session to register anything on it.
    """
    # The fake reads no AWS configuration: a profile named in AWS_PROFILE that this
    # machine lacks, or a broken config file, must not stop a fake client.
    # (logical name -> (config file key, environment variable, default, conversion)).
    session = botocore.session.Session(
        session_vars={
            "profile": (None, None, None, None),
            "config_file": (None, None, os.devnull, None),
            "credentials_file": (None, None, os.devnull, None),
        }
    )
    session.register_component("data_loader", data_loader())
    # An internal component, with no public way to set it.
    session._register_internal_component("endpoint_resolver", StatesEndpoints())  # type: ignore[attr-defined]
    setattr(session, PRIVATE_SESSION, True)  # noqa: B010 - mock_sfn leaves this session alone
    return session
