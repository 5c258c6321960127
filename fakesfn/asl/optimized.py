"""The optimized service integrations AWS offers, as data.

AWS refuses, when a definition is created, a ``arn:aws:states:::service:action``
resource that names no optimized integration ("The resource provided ... is not
recognized"), and one whose integration pattern the integration does not support.
The table follows AWS's "Integrating optimized services with Step Functions"
pages: each ``service:action`` with the patterns it supports (``""`` is
request-response, ``sync``, ``sync:2``, ``waitForTaskToken``). ``aws-sdk:*``
resources are the SDK integrations and are not listed here.

The runtime side (what each integration does) is :mod:`fakesfn.integrations`;
this module is only what a definition may name.
"""

from __future__ import annotations

from typing import Final

_RR: Final = ""
_SYNC: Final = "sync"
_SYNC2: Final = "sync:2"
_TOKEN: Final = "waitForTaskToken"

_ALL: Final = frozenset({_RR, _SYNC, _TOKEN})
_RR_TOKEN: Final = frozenset({_RR, _TOKEN})
_RR_SYNC: Final = frozenset({_RR, _SYNC})
_RR_ONLY: Final = frozenset({_RR})


def _actions(service: str, patterns: frozenset[str], *actions: str) -> dict[str, frozenset[str]]:
    return {f"{service}:{action}": patterns for action in actions}


OPTIMIZED_INTEGRATIONS: Final[dict[str, frozenset[str]]] = {
    **_actions("lambda", _RR_TOKEN, "invoke"),
    **_actions("dynamodb", _RR_ONLY, "getItem", "putItem", "updateItem", "deleteItem"),
    **_actions("sqs", _RR_TOKEN, "sendMessage"),
    **_actions("sns", _RR_TOKEN, "publish"),
    **_actions("events", _RR_TOKEN, "putEvents"),
    **_actions("states", frozenset({_RR, _SYNC, _SYNC2, _TOKEN}), "startExecution"),
    **_actions("apigateway", _RR_TOKEN, "invoke"),
    **_actions("http", _RR_ONLY, "invoke"),
    **_actions("batch", _ALL, "submitJob"),
    **_actions("ecs", _ALL, "runTask"),
    **_actions("glue", _ALL, "startJobRun"),
    **_actions("databrew", _RR_SYNC, "startJobRun"),
    **_actions("athena", _RR_SYNC, "startQueryExecution"),
    **_actions("athena", _RR_ONLY, "stopQueryExecution", "getQueryExecution", "getQueryResults"),
    **_actions("codebuild", _RR_SYNC, "startBuild", "startBuildBatch", "retryBuild", "retryBuildBatch"),
    **_actions("codebuild", _RR_ONLY, "stopBuild", "stopBuildBatch", "batchDeleteBuilds", "batchGetReports"),
    **_actions("codebuild", _RR_ONLY, "deleteBuildBatch"),
    **_actions(
        "eks", _RR_SYNC, "createCluster", "deleteCluster", "createFargateProfile", "deleteFargateProfile"
    ),
    **_actions("eks", _RR_SYNC, "createNodegroup", "deleteNodegroup", "runJob"),
    **_actions("eks", _RR_ONLY, "call"),
    **_actions(
        "elasticmapreduce",
        _RR_SYNC,
        "createCluster",
        "terminateCluster",
        "addStep",
    ),
    **_actions(
        "elasticmapreduce",
        _RR_ONLY,
        "cancelStep",
        "setClusterTerminationProtection",
        "modifyInstanceFleetByName",
        "modifyInstanceGroupByName",
    ),
    **_actions("emr-containers", _RR_SYNC, "startJobRun", "deleteVirtualCluster"),
    **_actions("emr-containers", _RR_ONLY, "createVirtualCluster"),
    **_actions(
        "emr-serverless",
        _RR_SYNC,
        "createApplication",
        "startApplication",
        "stopApplication",
        "deleteApplication",
        "startJobRun",
        "cancelJobRun",
    ),
    **_actions(
        "sagemaker",
        _RR_SYNC,
        "createTrainingJob",
        "createTransformJob",
        "createHyperParameterTuningJob",
        "createLabelingJob",
        "createProcessingJob",
    ),
    **_actions(
        "sagemaker", _RR_ONLY, "createEndpoint", "createEndpointConfig", "createModel", "updateEndpoint"
    ),
    **_actions("bedrock", _RR_ONLY, "invokeModel"),
    **_actions("bedrock", _RR_SYNC, "createModelCustomizationJob"),
    **_actions("mediaconvert", _RR_SYNC, "createJob"),
}
"""``service:action`` -> the integration patterns AWS supports for it."""


def is_optimized_integration(service: str, action: str, pattern: str) -> bool:
    """Whether AWS offers ``service:action`` with ``pattern`` as an optimized integration."""
    patterns = OPTIMIZED_INTEGRATIONS.get(f"{service}:{action}")
    return patterns is not None and pattern in patterns
