"""Distributed Map at scale: one EXPRESS child execution per item (issue 18's last row).

Two ways a user writes a large Distributed Map:

- ``dmap-s3-*``: the items are the rows of a CSV object in Amazon S3, read by an
  ``ItemReader`` through the user's boto3 session (moto's ``mock_aws`` S3, as the
  fakesfn docs show); each child runs a Choice and a Pass with ``Parameters``; the
  results are exported to S3 by a ``ResultWriter`` (no ``WriterConfig``: AWS's default
  ``NONE`` transformation, one execution record per child). ``MaxConcurrency`` 1,000.
- ``dmap-jsonata-*``: a JSONata machine whose items are ``{% [1..N] %}``; each child
  runs a Choice with a ``Condition`` and a Pass with ``Output``; no ``ResultWriter``:
  the Map's ``Output`` aggregates the children's results. No ``MaxConcurrency``
  (AWS's default for Distributed Map: 10,000 children at a time).

The parent is a STANDARD execution (its history is short: the children's work is in
their own executions, which AWS keeps no history of). The checked run reads back the
parent's history, the Map Run's counts, every child through ``ListExecutions``
(``mapRunArn``), the first and last child through ``DescribeExecution``, and the
result files in S3, against a pure-Python model of what AWS would produce.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from benchmarks.checks import Expect, check_history, check_reply
from benchmarks.harness import Counts, Mismatch, Trial

if TYPE_CHECKING:
    from benchmarks.drivers import Driver

REGION = "us-east-1"
SOURCE_BUCKET = "bench-items"
RESULT_BUCKET = "bench-results"
ITEMS_KEY = "orders.csv"
PARENT_EVENTS = 8
"""ExecutionStarted, MapStateEntered, MapStateStarted, MapRunStarted, MapRunSucceeded,
MapStateSucceeded, MapStateExited, ExecutionSucceeded."""


def _express(processor: dict[str, Any]) -> dict[str, Any]:
    return {**processor, "ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "EXPRESS"}}


# -- the S3 variant (JSONPath) ---------------------------------------------------------


def s3_machine(max_concurrency: int) -> dict[str, Any]:
    """Orders from a CSV object: skip those of quantity 0, reserve the others; results to S3."""
    processor = {
        "StartAt": "Check",
        "States": {
            "Check": {
                "Type": "Choice",
                "Choices": [{"Variable": "$.quantity", "StringEquals": "0", "Next": "Skip"}],
                "Default": "Reserve",
            },
            "Skip": {"Type": "Pass", "Parameters": {"sku.$": "$.sku", "reserved": False}, "End": True},
            "Reserve": {
                "Type": "Pass",
                "Parameters": {"sku.$": "$.sku", "reserved": True, "line.$": "$.line"},
                "End": True,
            },
        },
    }
    fan = {
        "Type": "Map",
        "ItemReader": {
            "Resource": "arn:aws:states:::s3:getObject",
            "ReaderConfig": {"InputType": "CSV", "CSVHeaderLocation": "FIRST_ROW"},
            "Parameters": {"Bucket.$": "$.bucket", "Key.$": "$.key"},
        },
        "ItemSelector": {
            "line.$": "$$.Map.Item.Index",
            "sku.$": "$$.Map.Item.Value.sku",
            "quantity.$": "$$.Map.Item.Value.quantity",
        },
        "ItemProcessor": _express(processor),
        "MaxConcurrency": max_concurrency,
        "ResultWriter": {
            "Resource": "arn:aws:states:::s3:putObject",
            "Parameters": {"Bucket": RESULT_BUCKET, "Prefix": "orders"},
        },
        "End": True,
    }
    return {"StartAt": "Fan", "States": {"Fan": fan}}


def csv_rows(size: int) -> str:
    """The CSV object: a header and ``size`` orders; every seventh has quantity 0."""
    lines = ["sku,quantity,note"]
    lines += [f"SKU-{i:06d},{0 if i % 7 == 0 else i % 5 + 1},order {i}" for i in range(size)]
    return "\n".join(lines) + "\n"


def s3_child_output(index: int) -> dict[str, Any]:
    """What the child of row ``index`` returns."""
    sku = f"SKU-{index:06d}"
    if index % 7 == 0:
        return {"sku": sku, "reserved": False}
    return {"sku": sku, "reserved": True, "line": index}


def s3_child_input(index: int) -> dict[str, Any]:
    """The child of row ``index``'s input (ItemSelector's output)."""
    return {
        "line": index,
        "sku": f"SKU-{index:06d}",
        "quantity": "0" if index % 7 == 0 else str(index % 5 + 1),
    }


# -- the JSONata variant ---------------------------------------------------------------


def jsonata_machine(size: int) -> dict[str, Any]:
    """``[1..size]``: multiples of 3 are tagged ``fizz``; the Map's Output counts them."""
    processor = {
        "StartAt": "Check",
        "States": {
            "Check": {
                "Type": "Choice",
                "Choices": [{"Condition": "{% $states.input.n % 3 = 0 %}", "Next": "Fizz"}],
                "Default": "Plain",
            },
            "Fizz": {"Type": "Pass", "Output": {"n": "{% $states.input.n %}", "fizz": True}, "End": True},
            "Plain": {"Type": "Pass", "Output": {"n": "{% $states.input.n %}", "fizz": False}, "End": True},
        },
    }
    fan = {
        "Type": "Map",
        "Items": f"{{% [1..{size}] %}}",
        "ItemSelector": {"n": "{% $states.context.Map.Item.Value %}"},
        "ItemProcessor": _express(processor),
        "Output": {
            "count": "{% $count($states.result) %}",
            "fizz": "{% $count($states.result[fizz]) %}",
            "total": "{% $sum($states.result.n) %}",
        },
        "End": True,
    }
    return {"QueryLanguage": "JSONata", "StartAt": "Fan", "States": {"Fan": fan}}


def jsonata_output(size: int) -> dict[str, Any]:
    """The Map's Output for ``[1..size]``."""
    return {"count": size, "fizz": size // 3, "total": size * (size + 1) // 2}


def jsonata_child_output(index: int) -> dict[str, Any]:
    """What the child of item ``index`` (value ``index + 1``) returns."""
    value = index + 1
    return {"n": value, "fizz": value % 3 == 0}


# -- the trial -------------------------------------------------------------------------


class MapRunTrial(Trial):
    """One STANDARD execution whose Distributed Map starts ``size`` EXPRESS children."""

    def __init__(self, driver: Driver, size: int, *, s3: bool, max_concurrency: int = 0) -> None:
        self.driver = driver
        self.size = size
        self.s3 = s3
        self._mock: Any = None
        self._s3_client: Any = None
        if s3:
            self._open_s3(size)
            definition = s3_machine(max_concurrency)
            self.input_text = json.dumps({"bucket": SOURCE_BUCKET, "key": ITEMS_KEY})
            self.expect = Expect(1 + 2 * size, PARENT_EVENTS, output=self._written)
        else:
            definition = jsonata_machine(size)
            self.input_text = "{}"
            self.expect = Expect(1 + 2 * size, PARENT_EVENTS, output=jsonata_output(size))
        self.definition = definition
        self.arn = driver.create(definition)

    def prepare(self) -> None:
        """Every run starts from an empty world, as a test does (each run before keeps 100,000 children)."""
        if self.driver.reset():
            self.arn = self.driver.create(self.definition)

    def _open_s3(self, size: int) -> None:
        """moto's S3 behind a boto3 session the fake calls, with the CSV object in it."""
        import boto3
        from moto import mock_aws

        self._mock = mock_aws()
        self._mock.start()
        session = boto3.Session(region_name=REGION, aws_access_key_id="bench", aws_secret_access_key="bench")
        client = session.client("s3")
        for bucket in (SOURCE_BUCKET, RESULT_BUCKET):
            client.create_bucket(Bucket=bucket)
        client.put_object(Bucket=SOURCE_BUCKET, Key=ITEMS_KEY, Body=csv_rows(size).encode())
        self._s3_client = client
        if not self.driver.use_aws_session(session):
            raise Mismatch(f"{self.driver.name} cannot read S3 through a session here")

    def close(self) -> None:
        if self._mock is not None:
            self._mock.stop()
            self._mock = None

    def _written(self, output: Any) -> bool:
        details = output.get("ResultWriterDetails", {}) if isinstance(output, dict) else {}
        return details.get("Bucket") == RESULT_BUCKET and str(details.get("Key", "")).endswith(
            "/manifest.json"
        )

    def once(self) -> dict[str, Any]:
        return self.driver.execute(self.arn, self.input_text)

    def verify(self, outcome: Any, *, deep: bool) -> Counts:
        check_reply(outcome, self.expect)
        if deep:
            events = self.driver.history(outcome["executionArn"])
            parent = Expect(1, PARENT_EVENTS)
            check_history(self.driver, events, parent)
            run_arn = self._map_run(outcome["executionArn"])
            children = self._children(run_arn)
            self._first_and_last(children)
            if self.s3:
                self._results(json.loads(outcome["output"]), run_arn)
        return Counts(self.expect.transitions, PARENT_EVENTS)

    def _map_run(self, execution_arn: str) -> str:
        client = self.driver.client
        runs = client.list_map_runs(executionArn=execution_arn)["mapRuns"]
        if len(runs) != 1:
            raise Mismatch(f"{len(runs)} Map Runs, expected 1")
        described = client.describe_map_run(mapRunArn=runs[0]["mapRunArn"])
        for key in ("itemCounts", "executionCounts"):
            counts = described[key]
            if (counts["total"], counts["succeeded"], counts["running"]) != (self.size, self.size, 0):
                raise Mismatch(f"DescribeMapRun {key} {counts}, expected {self.size} succeeded")
        return str(runs[0]["mapRunArn"])

    def _children(self, run_arn: str) -> list[dict[str, Any]]:
        pages = self.driver.client.get_paginator("list_executions").paginate(
            mapRunArn=run_arn, PaginationConfig={"PageSize": 1000}
        )
        children = [item for page in pages for item in page["executions"]]
        if len(children) != self.size or len({c["executionArn"] for c in children}) != self.size:
            raise Mismatch(f"ListExecutions lists {len(children)} children, expected {self.size} distinct")
        if any(c["status"] != "SUCCEEDED" or c.get("itemCount") != 1 for c in children):
            raise Mismatch("a child is not SUCCEEDED with itemCount 1")
        children.reverse()  # newest first: now in item order
        return children

    def _first_and_last(self, children: list[dict[str, Any]]) -> None:
        for index in (0, self.size - 1):
            described = self.driver.client.describe_execution(executionArn=children[index]["executionArn"])
            wanted = s3_child_output(index) if self.s3 else jsonata_child_output(index)
            if json.loads(described.get("output", "null")) != wanted:
                raise Mismatch(f"child {index} returned {described.get('output')!r}, expected {wanted}")
            if self.s3 and json.loads(described["input"]) != s3_child_input(index):
                raise Mismatch(f"child {index} received {described['input']!r}")

    def _results(self, output: dict[str, Any], run_arn: str) -> None:
        """The manifest and the one SUCCEEDED file: an execution record per child, in item order."""
        details = output["ResultWriterDetails"]
        manifest = json.loads(
            self._s3_client.get_object(Bucket=details["Bucket"], Key=details["Key"])["Body"].read()
        )
        files = manifest["ResultFiles"]
        if (
            manifest["MapRunArn"] != run_arn
            or files["FAILED"]
            or files["PENDING"]
            or len(files["SUCCEEDED"]) != 1
        ):
            raise Mismatch(f"the manifest lists {files}")
        body = self._s3_client.get_object(Bucket=details["Bucket"], Key=files["SUCCEEDED"][0]["Key"])[
            "Body"
        ].read()
        records = json.loads(body)
        if len(records) != self.size:
            raise Mismatch(f"{len(records)} result records, expected {self.size}")
        for index, record in enumerate(records):
            if record["Status"] != "SUCCEEDED" or json.loads(record["Output"]) != s3_child_output(index):
                raise Mismatch(f"result record {index} is {str(record)[:200]}")


def s3_orders(driver: Driver, size: int, *, max_concurrency: int) -> Trial:
    """CSV rows in S3 through an ItemReader, JSONPath children, results written to S3."""
    return MapRunTrial(driver, size, s3=True, max_concurrency=max_concurrency)


def jsonata_range(driver: Driver, size: int) -> Trial:
    """``{% [1..size] %}`` items, JSONata children, the results aggregated by the Map's Output."""
    return MapRunTrial(driver, size, s3=False)
