"""The time of a new event in the change feed is never before the last one's, whether the last was
written with a zone (as odmld writes them) or without (a store loaded from elsewhere)."""

from odmld.feed_events import event_time


def test_a_last_event_without_a_zone_is_taken_as_utc():
    assert event_time("2024-07-01T00:00:00", "2024-07-01T00:00:01+00:00") == "2024-07-01T00:00:01+00:00"
    assert event_time("2024-07-01T03:00:00", "2024-07-01T02:00:00+00:00") == "2024-07-01T03:00:00"
    assert event_time("2024-07-01T02:00:00+01:00", "2024-07-01T01:30:00+00:00") == "2024-07-01T01:30:00+00:00"
