"""``ItemReader``: a Distributed Map's items read from Amazon S3.

AWS reads, with ``arn:aws:states:::s3:getObject``, one object as ``ReaderConfig.InputType``
says: ``JSON`` (an array, optionally found by ``ItemsPointer``), ``JSONL`` (one value a
line), ``CSV`` (one object a row, keyed by the first row or by ``CSVHeaders``, every value
a string) or ``MANIFEST`` (an S3 Inventory manifest whose CSV files list the objects);
with ``arn:aws:states:::s3:listObjectsV2`` it lists a bucket, one item per object.
``MaxItems`` stops reading early. Every failure is ``States.ItemReaderFailed``.
"""

from __future__ import annotations

import csv
import gzip
import io
import json
from itertools import islice
from typing import TYPE_CHECKING, Any, Final

from fakesfn import arns
from fakesfn.asl.errors import ErrorName, StatesError
from fakesfn.payload import check_depth

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Iterator

    from fakesfn.asl.distributed import ReaderSpec
    from fakesfn.engine.ports import ObjectStore

ITEM_READER_FAILED: Final = ErrorName.ITEM_READER_FAILED.value

MAX_ITEMS_LIMIT: Final = 100_000_000
"""AWS: MaxItems is at most 100,000,000; a larger MaxItemsPath value reads at most that many
(recorded: test_map_item_reader_csv_max_items_paths_100000001 succeeds)."""

NOT_ITERABLE: Final = "Attempting to map over non-iterable node."
"""Recorded (test_map_item_reader_json_no_json_list_object): a JSON file that is not an array."""

DUPLICATE_HEADERS: Final = "CSV headers cannot contain duplicates."
"""Recorded (test_map_item_reader_csv_headers_decl_duplicate_headers)."""

MAX_ITEMS_NEGATIVE: Final = "field MaxItems must be positive"
"""Recorded (test_map_item_reader_csv_max_items_paths_-1)."""


def _failed(cause: str) -> StatesError:
    return StatesError(ITEM_READER_FAILED, cause)


def max_items_limit(value: float | None) -> int | None:
    """How many items to read: ``None`` (all) for an absent or 0 MaxItems.

    Recorded: MaxItems 0 reads every item, -1 fails the Map Run, 100000001 reads at
    most 100,000,000.
    """
    if value is None or value == 0:
        return None
    if value < 0:
        raise _failed(MAX_ITEMS_NEGATIVE)
    return min(int(value), MAX_ITEMS_LIMIT)


def read_items(spec: ReaderSpec, parameters: Any, limit: int | None, s3: ObjectStore) -> list[Any]:
    """Read the items ``spec`` describes, at most ``limit`` of them."""
    if not isinstance(parameters, dict):
        raise _failed("The ItemReader parameters must be an object")
    if spec.action == "listObjectsV2":
        items: Iterable[Any] = _list_objects(parameters, s3)
    else:
        input_type = str(spec.input_type)
        if input_type != "MANIFEST" and input_type not in _TEXT_PARSERS:
            raise _failed(f"The ItemReader InputType '{spec.input_type}' is not supported")
        body = s3.get(parameters.get("Bucket"), parameters.get("Key"), parameters.get("VersionId"))
        items = _manifest(body, s3) if input_type == "MANIFEST" else _TEXT_PARSERS[input_type](spec, body)
    return list(items if limit is None else islice(items, limit))


def items_from_text(spec: ReaderSpec, text: str) -> list[Any]:
    """The items in ``text``, an object's content as the reader finds it in S3.

    TestState's ``mapItemReaderData`` is "the data read by ItemReader ... as found in its
    original source": JSON, JSONL and CSV text is read as the object would be. A listing
    (``listObjectsV2``) or an S3 Inventory manifest has no single text, so there the data
    is the JSON array of the items they would produce.
    """
    if spec.action == "listObjectsV2" or spec.input_type == "MANIFEST":
        value = _json_value(text)
        if not isinstance(value, list):
            raise _failed(NOT_ITERABLE)
        return value
    parse = _TEXT_PARSERS.get(str(spec.input_type))
    if parse is None:
        raise _failed(f"The ItemReader InputType '{spec.input_type}' is not supported")
    return list(parse(spec, text.encode("utf-8")))


def _text(body: bytes) -> str:
    try:
        return body.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise _failed("The object is not UTF-8 encoded text") from None


def _json_value(text: str) -> Any:
    try:
        check_depth(text)
        return json.loads(text)
    except ValueError as error:
        raise _failed(f"The object is not valid JSON: {error}") from None


def _json(spec: ReaderSpec, body: bytes) -> Iterator[Any]:
    value = _json_value(_text(body))
    if spec.items_pointer is not None:
        value = _pointer(value, spec.items_pointer)
    if not isinstance(value, list):
        raise _failed(NOT_ITERABLE)
    return iter(value)


def _pointer(value: Any, pointer: str) -> Any:
    """RFC 6901: ``ItemsPointer`` names the array inside a JSON object (``/data/items``)."""
    if pointer == "":
        return value
    if not pointer.startswith("/"):
        raise _failed(f"Invalid ItemsPointer: {pointer}")
    for token in pointer[1:].split("/"):
        step = token.replace("~1", "/").replace("~0", "~")
        if isinstance(value, dict) and step in value:
            value = value[step]
        elif isinstance(value, list) and step.isdigit() and int(step) < len(value):
            value = value[int(step)]
        else:
            raise _failed(f"The ItemsPointer {pointer} does not point to a value")
    return value


def _jsonl(_spec: ReaderSpec, body: bytes) -> Iterator[Any]:
    for line in _text(body).splitlines():
        if line.strip():
            yield _json_value(line)


def _csv(spec: ReaderSpec, body: bytes) -> Iterator[dict[str, str]]:
    rows = (row for row in csv.reader(io.StringIO(_text(body)), delimiter=spec.delimiter) if row)
    headers = list(spec.headers) if spec.header_location == "GIVEN" else next(rows, [])
    if len(set(headers)) != len(headers):
        raise _failed(DUPLICATE_HEADERS)
    return (_row(headers, row) for row in rows)


def _row(headers: list[str], row: list[str]) -> dict[str, str]:
    """Values keyed by header; extra fields are dropped (recorded: headers_decl_extra_fields)."""
    return {header: row[index] if index < len(row) else "" for index, header in enumerate(headers)}


def _manifest(body: bytes, s3: ObjectStore) -> Iterator[dict[str, str]]:
    """An S3 Inventory ``manifest.json``: its CSV (gzip) files list the objects, keyed by fileSchema."""
    manifest = _json_value(_text(body))
    if not isinstance(manifest, dict) or manifest.get("fileFormat") != "CSV":
        raise _failed("Only S3 Inventory manifests of CSV format are supported")
    headers = [name.strip() for name in str(manifest.get("fileSchema", "")).split(",")]
    bucket = arns.bucket_name(str(manifest.get("destinationBucket", "")))
    for entry in manifest.get("files") or ():
        data = s3.get(bucket, entry.get("key"))
        if data[:2] == b"\x1f\x8b":
            data = gzip.decompress(data)
        for row in csv.reader(io.StringIO(_text(data))):
            if row:
                yield _row(headers, row)


def _list_objects(parameters: dict[str, Any], s3: ObjectStore) -> Iterator[dict[str, Any]]:
    """One item per object, shaped as AWS documents (``Etag``, ``LastModified`` in epoch seconds)."""
    for summary in s3.objects(parameters):
        yield {
            "Etag": summary.get("ETag"),
            "Key": summary.get("Key"),
            "LastModified": int(summary["LastModified"].timestamp()),
            "Size": summary.get("Size"),
            "StorageClass": summary.get("StorageClass"),
        }


_TEXT_PARSERS: Final[dict[str, Callable[[ReaderSpec, bytes], Iterator[Any]]]] = {
    "JSON": _json,
    "JSONL": _jsonl,
    "CSV": _csv,
}
"""The input types whose items come from one object's text; MANIFEST reads further objects."""
