"""ResultWriter against moto's S3: manifest and result files, WriterConfig transformations."""

from __future__ import annotations

import json

import pytest

from tests.distributed.helpers import distributed_map, map_run_arn, run_map

PUT_OBJECT = "arn:aws:states:::s3:putObject"


def fails_when_odd() -> dict:
    return {
        "StartAt": "Check",
        "States": {
            "Check": {
                "Type": "Choice",
                "Choices": [{"Variable": "$.odd", "BooleanEquals": True, "Next": "Boom"}],
                "Default": "Keep",
            },
            "Boom": {"Type": "Fail", "Error": "Odd", "Cause": "odd item"},
            "Keep": {"Type": "Pass", "Result": "kept", "End": True},
        },
    }


def writer(prefix: str | None = "jobs", **extra) -> dict:
    parameters = {"Bucket": "map-results"}
    if prefix is not None:
        parameters["Prefix"] = prefix
    return {"Resource": PUT_OBJECT, "Parameters": parameters, **extra}


def body(s3, key: str) -> str:
    return s3.get_object(Bucket="map-results", Key=key)["Body"].read().decode("utf-8")


def test_results_and_manifest_are_written(sfn, s3):
    ran = run_map(sfn, distributed_map(ResultWriter=writer(), Label="Export"), ["a", "b"])
    run_arn = map_run_arn(sfn, ran.arn)
    run_id = run_arn.rsplit(":", 1)[1]
    manifest_key = f"jobs/{run_id}/manifest.json"
    assert ran.output == {
        "MapRunArn": run_arn,
        "ResultWriterDetails": {"Bucket": "map-results", "Key": manifest_key},
    }
    manifest = json.loads(body(s3, manifest_key))
    succeeded_key = f"jobs/{run_id}/SUCCEEDED_0.json"
    succeeded_text = body(s3, succeeded_key)
    assert manifest == {
        "DestinationBucket": "map-results",
        "MapRunArn": run_arn,
        "ResultFiles": {
            "FAILED": [],
            "PENDING": [],
            "SUCCEEDED": [{"Key": succeeded_key, "Size": len(succeeded_text.encode("utf-8"))}],
        },
    }
    records = json.loads(succeeded_text)
    assert [(r["Input"], r["Output"], r["Status"]) for r in records] == [
        ('"a"', '"a"', "SUCCEEDED"),
        ('"b"', '"b"', "SUCCEEDED"),
    ]
    first = records[0]
    assert first["StateMachineArn"].endswith(":stateMachine:machine/Export")
    assert first["ExecutionArn"].endswith(f":execution:machine/Export:{first['Name']}")
    assert (first["InputDetails"], first["OutputDetails"]) == ({"Included": True}, {"Included": True})
    assert first["StartDate"].endswith("Z")
    assert first["StopDate"].endswith("Z")
    assert first["RedriveStatus"] == "NOT_REDRIVABLE"
    counts = sfn.describe_map_run(mapRunArn=run_arn)["executionCounts"]
    assert counts["resultsWritten"] == 2


def test_failed_children_go_to_the_failed_file(sfn, s3):
    definition = distributed_map(fails_when_odd(), ResultWriter=writer("tolerant/"), ToleratedFailureCount=1)
    ran = run_map(sfn, definition, [{"odd": False}, {"odd": True}])
    assert ran.status == "SUCCEEDED"
    manifest = json.loads(body(s3, ran.output["ResultWriterDetails"]["Key"]))
    (failed_file,) = manifest["ResultFiles"]["FAILED"]
    assert failed_file["Key"].startswith("tolerant/")
    assert failed_file["Key"].endswith("/FAILED_0.json")
    (record,) = json.loads(body(s3, failed_file["Key"]))
    assert (record["Status"], record["Error"], record["Cause"]) == ("FAILED", "Odd", "odd item")
    assert "Output" not in record
    (succeeded,) = json.loads(body(s3, manifest["ResultFiles"]["SUCCEEDED"][0]["Key"]))
    assert succeeded["Output"] == '"kept"'


def test_threshold_failure_writes_pending_items_then_fails(sfn, s3):
    definition = distributed_map(fails_when_odd(), ResultWriter=writer(None), MaxConcurrency=1)
    ran = run_map(sfn, definition, [{"odd": True}, {"odd": False}])
    assert ran.describe["error"] == "States.ExceedToleratedFailureThreshold"
    run_id = map_run_arn(sfn, ran.arn).rsplit(":", 1)[1]
    manifest = json.loads(body(s3, f"{run_id}/manifest.json"))
    assert [f["Key"] for f in manifest["ResultFiles"]["PENDING"]] == [f"{run_id}/PENDING_0.json"]
    assert json.loads(body(s3, f"{run_id}/PENDING_0.json")) == [
        {"Input": '{"odd":false}', "InputDetails": {"Included": True}, "Status": "PENDING"}
    ]
    assert manifest["ResultFiles"]["SUCCEEDED"] == []


def test_writer_config_alone_shapes_the_state_output(sfn):
    processor = {
        "StartAt": "Pair",
        "States": {"Pair": {"Type": "Pass", "Parameters": {"v.$": "$"}, "End": True}},
    }
    flatten = {"StartAt": "Pair", "States": {"Pair": {"Type": "Pass", "Parameters": ["x", "y"], "End": True}}}
    compact = run_map(
        sfn, distributed_map(processor, ResultWriter={"WriterConfig": {"Transformation": "COMPACT"}}), [1]
    )
    assert compact.output == [{"v": 1}]
    flat = run_map(
        sfn,
        distributed_map(
            flatten, ResultWriter={"WriterConfig": {"Transformation": "FLATTEN", "OutputType": "JSON"}}
        ),
        [1, 2],
        name="flat",
    )
    assert flat.output == ["x", "y", "x", "y"]
    none = run_map(
        sfn,
        distributed_map(processor, ResultWriter={"WriterConfig": {"Transformation": "NONE"}}),
        [3],
        name="none",
    )
    (record,) = none.output
    assert (record["Input"], record["Output"], record["Status"]) == ("3", '{"v":3}', "SUCCEEDED")


def test_jsonl_files_with_compact_transformation(sfn, s3):
    config = {"WriterConfig": {"Transformation": "COMPACT", "OutputType": "JSONL"}}
    ran = run_map(sfn, distributed_map(ResultWriter=writer("lines", **config)), [{"a": 1}, {"a": 2}])
    manifest = json.loads(body(s3, ran.output["ResultWriterDetails"]["Key"]))
    text = body(s3, manifest["ResultFiles"]["SUCCEEDED"][0]["Key"])
    assert text == '{"a":1}\n{"a":2}\n'


@pytest.mark.parametrize(
    ("output_type", "expected"),
    [("JSON", '[1,{"b":"é"},2]'), ("JSONL", '1\n{"b":"é"}\n2\n')],
)
def test_flattened_files_hold_every_entry_in_order_and_none_for_empty_arrays(sfn, s3, output_type, expected):
    config = {"WriterConfig": {"Transformation": "FLATTEN", "OutputType": output_type}}
    items = [[1, {"b": "é"}], [], [2]]
    ran = run_map(sfn, distributed_map(ResultWriter=writer("flat", **config)), items, name=output_type)
    manifest = json.loads(body(s3, ran.output["ResultWriterDetails"]["Key"]))
    (written,) = manifest["ResultFiles"]["SUCCEEDED"]
    text = body(s3, written["Key"])
    assert text == expected
    assert written["Size"] == len(text.encode("utf-8"))


@pytest.mark.parametrize("output_type", ["JSON", "JSONL"])
def test_no_file_for_children_that_flatten_to_nothing(sfn, s3, output_type):
    config = {"WriterConfig": {"Transformation": "FLATTEN", "OutputType": output_type}}
    ran = run_map(sfn, distributed_map(ResultWriter=writer("none", **config)), [[], []], name=output_type)
    manifest = json.loads(body(s3, ran.output["ResultWriterDetails"]["Key"]))
    assert manifest["ResultFiles"] == {"FAILED": [], "PENDING": [], "SUCCEEDED": []}


def test_jsonata_arguments(sfn, s3):
    definition = distributed_map(
        Items="{% $states.input.items %}",
        ResultWriter={
            "Resource": PUT_OBJECT,
            "Arguments": {"Bucket": "map-results", "Prefix": "{% $states.input.where %}"},
        },
    )
    definition["QueryLanguage"] = "JSONata"
    ran = run_map(sfn, definition, {"items": [1], "where": "from-jsonata"})
    assert ran.output["ResultWriterDetails"]["Key"].startswith("from-jsonata/")


def test_missing_bucket_fails_with_result_writer_failed(sfn, s3):
    definition = distributed_map(
        ResultWriter={"Resource": PUT_OBJECT, "Parameters": {"Bucket": "no-such-bucket"}}
    )
    ran = run_map(sfn, definition, [1])
    assert ran.describe["error"] == "States.ResultWriterFailed"
    assert "The specified bucket does not exist" in ran.describe["cause"]
    assert "MapRunFailed" in ran.types


def _checksums(s3, key: str) -> set[str]:
    head = s3.head_object(Bucket="map-results", Key=key, ChecksumMode="ENABLED")
    return {name for name in head if name.startswith("Checksum") and name != "ChecksumType"}


def test_result_files_are_sent_with_only_the_checksums_s3_requires(sfn, s3):
    # fakesfn writes whole files it holds in memory: botocore's default CRC32 would send them
    # in aws-chunked pieces (seconds and doubled memory for a 100,000-item run) for nothing.
    ran = run_map(sfn, distributed_map(ResultWriter=writer("plain")), ["a", "b"])
    run_id = map_run_arn(sfn, ran.arn).rsplit(":", 1)[1]
    assert _checksums(s3, f"plain/{run_id}/SUCCEEDED_0.json") == set()
    assert _checksums(s3, f"plain/{run_id}/manifest.json") == set()


class _SessionWithoutConfig:
    """A session object of a user's own whose ``client`` takes no ``config``."""

    def __init__(self, session) -> None:
        self._session = session

    def client(self, service_name, region_name=None):
        return self._session.client(service_name, region_name=region_name)


def test_a_session_whose_clients_take_no_config_still_writes_results(sfn, s3, s3_world):
    sfn.backend.aws_session = _SessionWithoutConfig(s3_world["session"])
    ran = run_map(sfn, distributed_map(ResultWriter=writer("own-session")), ["a"])
    run_id = map_run_arn(sfn, ran.arn).rsplit(":", 1)[1]
    assert json.loads(body(s3, f"own-session/{run_id}/manifest.json"))["MapRunArn"].endswith(run_id)
