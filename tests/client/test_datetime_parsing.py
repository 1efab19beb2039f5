"""parse_datetime's fast paths give exactly what the strptime parser gave."""

from __future__ import annotations

import datetime

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from tests.helpers import examples
from tweepy_dm._models import parse_datetime

UTC = datetime.timezone.utc


def strptime_oracle(value):
    """tweepy-dm 0.1's parse_datetime, kept verbatim as the reference."""
    for layout in ("%Y-%m-%dT%H:%M:%S.%f%z", "%Y-%m-%dT%H:%M:%S%z"):
        try:
            parsed = datetime.datetime.strptime(value, layout)
        except ValueError:
            continue
        return parsed.astimezone(datetime.timezone.utc)
    raise ValueError(f"not an X timestamp (ISO 8601, e.g. 2022-10-28T02:40:35.000Z): {value!r}")


def outcome(parse, value):
    try:
        parsed = parse(value)
    except (ValueError, TypeError) as exc:
        return type(exc), str(exc)
    # The same instant is not enough: the same fields and the same tzinfo.
    return parsed, repr(parsed), parsed.tzinfo


@st.composite
def timestamps(draw):
    """Every shape X sends: with 0 to 6 fraction digits, ``Z`` or an offset."""
    moment = draw(
        st.datetimes(
            min_value=datetime.datetime(1000, 1, 2), max_value=datetime.datetime(9999, 12, 30)
        )
    )
    text = moment.strftime("%Y-%m-%dT%H:%M:%S")
    digits = draw(st.integers(0, 6))
    if digits:
        text += "." + f"{moment.microsecond:06d}"[:digits]
    offset = draw(
        st.one_of(
            st.just("Z"),
            st.builds(
                lambda sign, hours, minutes, colon: f"{sign}{hours:02d}{colon}{minutes:02d}",
                st.sampled_from("+-"),
                st.integers(0, 23),
                st.integers(0, 59),
                st.sampled_from(["", ":"]),
            ),
        )
    )
    return text + offset


@settings(max_examples=examples(2000), deadline=None)
@given(timestamps())
@example("2022-10-28T02:40:35.000Z")
@example("2023-11-07T05:31:56Z")
@example("2023-11-07T06:31:56.000+01:00")
@example("2023-11-07T06:31:56.5-0130")
@example("2024-02-29T23:59:59.999999Z")
def test_every_format_x_sends_parses_as_before(value):
    expected = strptime_oracle(value)
    assert outcome(parse_datetime, value) == outcome(strptime_oracle, value)
    assert expected.tzinfo is UTC


def mutations(value):
    """Each character of ``value`` replaced by a nearby one, one at a time."""
    for index in range(len(value)):
        for replacement in "0 9T:-.Z+zt\u0669\uff11":
            yield value[:index] + replacement + value[index + 1 :]


@pytest.mark.parametrize(
    "valid", ["2022-10-28T02:40:35.000Z", "2023-11-07T05:31:56Z", "2023-11-07T06:31:56.25+01:00"]
)
def test_near_misses_are_judged_as_before(valid):
    # Unicode digits, lower-case letters, a space for T, hour 24, second 60,
    # February 30...: the fast paths must never accept what strptime rejects.
    for value in mutations(valid):
        assert outcome(parse_datetime, value) == outcome(strptime_oracle, value), value


@settings(max_examples=examples(1000), deadline=None)
@given(st.text(alphabet="0123456789-T:.Z+z ", max_size=30))
def test_arbitrary_strings_are_judged_as_before(value):
    assert outcome(parse_datetime, value) == outcome(strptime_oracle, value)


@pytest.mark.parametrize(
    "value",
    [
        "2022-10-28T24:00:00.000Z",
        "2022-10-28T23:59:60.000Z",
        "2022-02-30T02:40:35.000Z",
        "2022-10-28 02:40:35.000Z",
        "20221028T024035.000Z",
        "2022-10-28T02:40:35,000Z",
        "2022-10-28T02:40:35.0000000Z",
        "2022-10-28T02:40:35.000+24:00",
        "2022-10-28",
        "",
    ],
)
def test_rejected_with_the_same_error(value):
    with pytest.raises(ValueError, match="not an X timestamp") as ours:
        parse_datetime(value)
    with pytest.raises(ValueError, match="not an X timestamp") as reference:
        strptime_oracle(value)
    assert str(ours.value) == str(reference.value)


def test_non_strings_raise_type_error():
    with pytest.raises(TypeError):
        parse_datetime(1666924835)  # type: ignore[arg-type]
