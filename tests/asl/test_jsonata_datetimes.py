"""``$toMillis`` answers as jsonata-js does, on Python 3.10 as on 3.13.

jsonata-python read these timestamps with ``datetime.fromisoformat``, which Python 3.10
refuses for a ``Z`` suffix: the same expression failed on one interpreter and answered on
another.
"""

from __future__ import annotations

import pytest

from tests.asl.test_jsonata_functions import detail, run


@pytest.mark.parametrize(
    ("timestamp", "millis"),
    [
        ("1970-01-01T00:00:00.001Z", 1),
        ("2024-01-01T00:00:00Z", 1_704_067_200_000),
        ("2024-01-01T00:00:00.5Z", 1_704_067_200_500),
        ("2024-01-01T00:00:00.123456789Z", 1_704_067_200_123),
        ("2024-01-01T01:00:00+01:00", 1_704_067_200_000),
        ("2023-12-31T23:00:00-0100", 1_704_067_200_000),
        ("2018-02-01T09:42:13.123+0000", 1_517_478_133_123),
        ("2024-01-01T00:00:00", 1_704_067_200_000),  # no offset: UTC
        ("2017-10-30", 1_509_321_600_000),
        ("2024-02", 1_706_745_600_000),
        ("2024", 1_704_067_200_000),
        ("1969-12-31T23:59:59Z", -1000),
    ],
)
def test_an_iso_8601_timestamp_is_read_to_the_millisecond(timestamp, millis):
    assert run(f'{{% $toMillis("{timestamp}") %}}') == millis


@pytest.mark.parametrize("timestamp", ["20240101", "2024-01-01 10:00", "2024-01-01T10:00", "yesterday", ""])
def test_a_text_outside_jsonatas_pattern_is_d3110(timestamp):
    assert detail(f'{{% $toMillis("{timestamp}") %}}') == (
        "threw an error during evaluation. D3110: The argument of the toMillis function must be an "
        f'ISO 8601 formatted timestamp. Given "{timestamp}"'
    )


@pytest.mark.parametrize("timestamp", ["2024-13-01", "2024-02-30", "2024.5", "2024-01-01T25:00:00Z"])
def test_a_date_javascript_calls_invalid_is_undefined(timestamp):
    assert detail(f'{{% $toMillis("{timestamp}") %}}') == "returned nothing (undefined)."


def test_a_picture_is_read_by_the_picture_parser():
    assert run('{% $toMillis("2018-10-21T23:59:59", "[Y]-[M]-[D]T[H]:[m]:[s]") %}') == 1_540_166_399_000


def test_toMillis_round_trips_fromMillis_and_keeps_its_signature():
    assert run("{% $toMillis($fromMillis(1704067200123)) %}") == 1_704_067_200_123
    assert detail("{% $toMillis($states.input.missing) %}", {}) == "returned nothing (undefined)."
    assert detail("{% $toMillis(5) %}").startswith("threw an error during evaluation. T0410")
