"""The holiday calendar is data (ontology/england/bank-holidays.ttl); working days are counted with it.

Expectations: gov.uk/bank-holidays (England and Wales) as computed by the maintained `holidays`
package; the one-off days by royal proclamation listed there.
"""

from datetime import date

import pytest

from sendkg import dates
from sendkg.errors import SendkgError
from sendkg.model import Model
from sendkg.resources import resource_dir


@pytest.fixture(scope="module")
def calendar():
    return Model().calendar()


def test_the_calendar_is_the_published_list_for_every_year_it_covers(calendar):
    holidays = pytest.importorskip("holidays")
    expected = set(holidays.country_holidays("GB", subdiv="ENG",
                                             years=range(calendar.first_year, calendar.last_year + 1)))
    assert calendar.holidays == expected


@pytest.mark.parametrize("day, name", [
    (date(2022, 9, 19), "State Funeral of Queen Elizabeth II (one-off, by proclamation)"),
    (date(2023, 5, 8), "Coronation of King Charles III (one-off)"),
    (date(2020, 5, 8), "Early May bank holiday moved to VE Day"),
    (date(2027, 12, 28), "Boxing Day substitute when 25 and 26 December 2027 fall at the weekend"),
])
def test_one_off_and_substitute_days_are_not_working_days(calendar, day, name):
    assert day in calendar.holidays, name


def test_a_new_bank_holiday_is_data_not_code(tmp_path):
    """Adding a (hypothetical) one-off bank holiday in an extension file changes the count."""
    extra = tmp_path / "one-off.ttl"
    extra.write_text(
        "@prefix skg: <https://w3id.org/sendkg/def#> .\n"
        "@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .\n"
        "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n"
        "<https://w3id.org/sendkg/id/calendar/england-and-wales> skg:holiday\n"
        '  [ skg:onDate "2030-06-12"^^xsd:date ; rdfs:label "a one-off day (test)" ] .\n')
    cal = Model([extra]).calendar()
    assert date(2030, 6, 12) in cal.holidays
    try:
        dates.use_calendar(cal)
        # Tue 11 June 2030 + 1 working day: Wednesday 12th is now a holiday, so Thursday 13th.
        assert dates.count(date(2030, 6, 11), 1, "working-day", "within").date == date(2030, 6, 13)
    finally:
        dates.use_calendar(Model().calendar())
    assert dates.count(date(2030, 6, 11), 1, "working-day", "within").date == date(2030, 6, 12)


def test_a_model_without_a_calendar_says_so(tmp_path):
    from sendkg.store import EmbeddedStore

    files = [f for f in sorted(resource_dir("ontology").rglob("*.ttl")) if f.name != "bank-holidays.ttl"]
    with pytest.raises(SendkgError, match="no holiday calendar"):
        Model(store=EmbeddedStore(files)).calendar()


def test_dates_outside_the_calendar_are_refused(calendar):
    dates.use_calendar(calendar)
    with pytest.raises(dates.DateOutOfRange, match=f"{calendar.first_year}-{calendar.last_year}"):
        dates.is_working_day(date(calendar.last_year + 1, 1, 2))
