"""ItemReader against moto's S3: every InputType, listObjectsV2, MaxItems, failures."""

from __future__ import annotations

import gzip
import json

import pytest

from tests.distributed.helpers import distributed_map, map_run_arn, run_map

GET_OBJECT = "arn:aws:states:::s3:getObject"


def reader(config: dict, **extra) -> dict:
    return {
        "Resource": GET_OBJECT,
        "ReaderConfig": config,
        "Parameters": {"Bucket.$": "$.bucket", "Key.$": "$.key"},
        **extra,
    }


def read(sfn, s3, key: str, body: str | bytes, config: dict, value: dict | None = None, **fields):
    s3.put_object(Bucket="source-data", Key=key, Body=body)
    definition = distributed_map(ItemReader=reader(config), **fields)
    return run_map(sfn, definition, {"bucket": "source-data", "key": key, **(value or {})})


def test_json_array(sfn, s3):
    items = [{"id": 1}, {"id": 2}, {"id": 3}]
    ran = read(sfn, s3, "items.json", json.dumps(items), {"InputType": "JSON"})
    assert ran.output == items
    assert ran.details("MapStateStarted") == [{"length": 0}]
    counts = sfn.describe_map_run(mapRunArn=map_run_arn(sfn, ran.arn))["itemCounts"]
    assert (counts["total"], counts["succeeded"]) == (3, 3)


def test_json_items_pointer(sfn, s3):
    body = json.dumps({"data": {"rows": ["r1", "r2"]}})
    ran = read(sfn, s3, "nested.json", body, {"InputType": "JSON", "ItemsPointer": "/data/rows"})
    assert ran.output == ["r1", "r2"]


def test_json_that_is_not_an_array_fails_the_map_run(sfn, s3):
    ran = read(sfn, s3, "object.json", json.dumps({"one": 1}), {"InputType": "JSON"})
    assert ran.status == "FAILED"
    assert (ran.describe["error"], ran.describe["cause"]) == (
        "States.ItemReaderFailed",
        "Attempting to map over non-iterable node.",
    )
    assert ran.types[-4:] == ["MapRunStarted", "MapRunFailed", "MapStateFailed", "ExecutionFailed"]
    assert ran.details("MapRunFailed") == [
        {"error": "States.ItemReaderFailed", "cause": "Attempting to map over non-iterable node."}
    ]
    assert sfn.describe_map_run(mapRunArn=map_run_arn(sfn, ran.arn))["status"] == "FAILED"


def test_jsonl(sfn, s3):
    ran = read(sfn, s3, "lines.jsonl", '{"a": 1}\n\n[2]\n"three"\n', {"InputType": "JSONL"})
    assert ran.output == [{"a": 1}, [2], "three"]


def test_csv_first_row_headers_pad_short_rows_and_drop_extra_fields(sfn, s3):
    body = 'name,size,note\nbolt,3,"a, quoted"\nnut,,\n,,,,\nwasher\n'
    ran = read(sfn, s3, "parts.csv", body, {"InputType": "CSV", "CSVHeaderLocation": "FIRST_ROW"})
    assert ran.output == [
        {"name": "bolt", "size": "3", "note": "a, quoted"},
        {"name": "nut", "size": "", "note": ""},
        {"name": "", "size": "", "note": ""},
        {"name": "washer", "size": "", "note": ""},
    ]


def test_csv_given_headers_and_delimiter(sfn, s3):
    config = {
        "InputType": "CSV",
        "CSVHeaderLocation": "GIVEN",
        "CSVHeaders": ["k", "v"],
        "CSVDelimiter": "SEMICOLON",
    }
    ran = read(sfn, s3, "pairs.csv", "a;1\nb;2\n", config)
    assert ran.output == [{"k": "a", "v": "1"}, {"k": "b", "v": "2"}]


def test_csv_duplicate_headers(sfn, s3):
    config = {"InputType": "CSV", "CSVHeaderLocation": "GIVEN", "CSVHeaders": ["h", "h"]}
    ran = read(sfn, s3, "dupes.csv", "1,2\n", config)
    assert (ran.describe["error"], ran.describe["cause"]) == (
        "States.ItemReaderFailed",
        "CSV headers cannot contain duplicates.",
    )


def test_manifest_reads_inventory_files(sfn, s3):
    inventory = gzip.compress(b'"source-data","photos/a.jpg","120"\n"source-data","photos/b.jpg","80"\n')
    s3.put_object(Bucket="source-data", Key="inventory/data/part-0.csv.gz", Body=inventory)
    manifest = {
        "sourceBucket": "source-data",
        "destinationBucket": "arn:aws:s3:::source-data",
        "fileFormat": "CSV",
        "fileSchema": "Bucket, Key, Size",
        "files": [{"key": "inventory/data/part-0.csv.gz", "size": len(inventory)}],
    }
    ran = read(sfn, s3, "inventory/manifest.json", json.dumps(manifest), {"InputType": "MANIFEST"})
    assert ran.output == [
        {"Bucket": "source-data", "Key": "photos/a.jpg", "Size": "120"},
        {"Bucket": "source-data", "Key": "photos/b.jpg", "Size": "80"},
    ]


def test_list_objects_v2_pages_through_the_prefix(sfn, s3):
    for name in ("x1", "x2", "x3"):
        s3.put_object(Bucket="source-data", Key=f"listing/{name}.txt", Body=name * 2)
    definition = distributed_map(
        ItemReader={
            "Resource": "arn:aws:states:::s3:listObjectsV2",
            "Parameters": {"Bucket": "source-data", "Prefix": "listing/", "MaxKeys": 2},
        }
    )
    ran = run_map(sfn, definition, {})
    assert [item["Key"] for item in ran.output] == ["listing/x1.txt", "listing/x2.txt", "listing/x3.txt"]
    first = ran.output[0]
    assert set(first) == {"Etag", "Key", "LastModified", "Size", "StorageClass"}
    assert first["Size"] == 4
    assert isinstance(first["LastModified"], int)
    assert first["Etag"].startswith('"')


@pytest.mark.parametrize(("config", "expected"), [({"MaxItems": 2}, 2), ({"MaxItems": 0}, 5)])
def test_max_items(sfn, s3, config, expected):
    ran = read(sfn, s3, "five.json", json.dumps(list(range(5))), {"InputType": "JSON", **config})
    assert ran.output == list(range(expected))


def test_max_items_path_reads_variables_and_numeric_strings(sfn, s3):
    s3.put_object(Bucket="source-data", Key="ten.json", Body=json.dumps(list(range(10))))
    fan = distributed_map(ItemReader=reader({"InputType": "JSON", "MaxItemsPath": "$limit"}))["States"]["Fan"]
    definition = {
        "StartAt": "Set",
        "States": {"Set": {"Type": "Pass", "Assign": {"limit": "3"}, "Next": "Fan"}, "Fan": fan},
    }
    ran = run_map(sfn, definition, {"bucket": "source-data", "key": "ten.json"})
    assert ran.output == [0, 1, 2]


def test_negative_max_items_fails_the_map_run(sfn, s3):
    config = {"InputType": "JSON", "MaxItemsPath": "$.max"}
    ran = read(sfn, s3, "neg.json", "[1]", config, {"max": -1})
    assert (ran.describe["error"], ran.describe["cause"]) == (
        "States.ItemReaderFailed",
        "field MaxItems must be positive",
    )
    assert "MapRunFailed" in ran.types


def test_jsonata_arguments_and_max_items(sfn, s3):
    s3.put_object(Bucket="source-data", Key="jsonata.json", Body=json.dumps(["p", "q", "r"]))
    definition = distributed_map(
        ItemReader={
            "Resource": GET_OBJECT,
            "ReaderConfig": {"InputType": "JSON", "MaxItems": "{% $states.input.max %}"},
            "Arguments": {"Bucket": "{% $states.input.bucket %}", "Key": "jsonata.json"},
        },
        ItemSelector={"letter": "{% $states.context.Map.Item.Value %}"},
    )
    definition["QueryLanguage"] = "JSONata"
    ran = run_map(sfn, definition, {"bucket": "source-data", "max": 2})
    assert ran.output == [{"letter": "p"}, {"letter": "q"}]


def test_reader_with_selector_and_batcher(sfn, s3):
    s3.put_object(Bucket="source-data", Key="batch.json", Body=json.dumps([1, 2, 3]))
    definition = distributed_map(
        ItemReader=reader({"InputType": "JSON"}),
        ItemSelector={"n.$": "$$.Map.Item.Value", "i.$": "$$.Map.Item.Index"},
        ItemBatcher={"MaxItemsPerBatch": 2},
    )
    ran = run_map(sfn, definition, {"bucket": "source-data", "key": "batch.json"})
    assert ran.output == [{"Items": [{"n": 1, "i": 0}, {"n": 2, "i": 1}]}, {"Items": [{"n": 3, "i": 2}]}]


def test_missing_object_fails_with_the_s3_error(sfn, s3):
    definition = distributed_map(ItemReader=reader({"InputType": "JSON"}))
    ran = run_map(sfn, definition, {"bucket": "source-data", "key": "absent.json"})
    assert ran.describe["error"] == "States.ItemReaderFailed"
    assert ran.describe["cause"].startswith(
        "The specified key does not exist. (Service: S3, Status Code: 404"
    )


def test_without_a_session_the_reader_says_what_to_do(sfn):
    definition = distributed_map(ItemReader=reader({"InputType": "JSON"}))
    ran = run_map(sfn, definition, {"bucket": "source-data", "key": "any.json"})
    assert ran.describe["error"] == "States.Runtime"
    assert "backend.aws_session" in ran.describe["cause"]
