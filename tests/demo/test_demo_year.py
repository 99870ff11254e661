"""demo.year: spreading the demo's records between 1 January and today, whatever today is — on 3 January
too, when the year has three days."""

import datetime

import pytest
from django.utils import timezone

from demo.year import Mover, days


@pytest.mark.parametrize(
    ("last", "count"),
    [
        (datetime.date(2027, 1, 1), 5),
        (datetime.date(2027, 1, 3), 16),
        (datetime.date(2027, 3, 31), 4),
        (datetime.date(2027, 12, 31), 25),
    ],
)
def test_days_are_spread_from_new_year_to_the_last_the_last_on_it(last, count):
    spread = days(datetime.date(2027, 1, 1), last, count)

    assert len(spread) == count
    assert spread == sorted(spread)
    assert spread[-1] == last
    assert all(datetime.date(2027, 1, 1) <= day <= last for day in spread)


def test_a_year_long_spread_has_something_in_every_month():
    spread = days(datetime.date(2027, 1, 1), datetime.date(2027, 12, 7), 16)

    assert {day.month for day in spread} == set(range(1, 13))


def test_on_the_third_of_january_every_moment_is_in_the_new_year_and_not_after_now():
    now = datetime.datetime(2027, 1, 3, 8, 30, tzinfo=timezone.get_current_timezone())
    mover = Mover(now)

    moments = [mover.moment(day, hour=16) for day in mover.spread(10)]

    assert all(mover.year_start <= moment < now for moment in moments)
    assert {timezone.localdate(moment) for moment in moments} <= {
        datetime.date(2027, 1, 1),
        datetime.date(2027, 1, 2),
        datetime.date(2027, 1, 3),
    }
    assert mover.moved(datetime.date(2027, 1, 2), datetime.timedelta(days=5)) == datetime.date(2027, 1, 3)
