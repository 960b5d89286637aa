"""The local authorities of England (ontology/england/authorities.ttl) and matching pages to them.

Which bodies have SEND duties: a "local authority" in CFA 2014 Part 3 is a county council, a
district council with no county council, a London borough council, the Common Council of the City
of London or the Council of the Isles of Scilly (CFA 2014 s.30 and s.83(1); the list of types is
secondary here). The structural changes since 2009 are each cited in the data (their Orders).
"""

import re
from datetime import date

import pytest

from sendkg.register import load_register

TODAY = date(2026, 11, 23)


@pytest.fixture(scope="module")
def reg():
    return load_register()


def test_153_authorities_exist_today(reg):
    current = reg.current(TODAY)
    assert len(current) == 153
    by_type = {}
    for a in current:
        by_type[a.type] = by_type.get(a.type, 0) + 1
    # 62 unitary + the Isles of Scilly; 36 metropolitan districts; 32 London boroughs + the City
    assert by_type == {"unitary": 62, "isles-of-scilly": 1, "metropolitan-district": 36,
                       "london-borough": 32, "city-of-london": 1, "county": 21}


def test_codes_are_unique_and_fit_the_type(reg):
    prefix = {"unitary": "E06", "isles-of-scilly": "E06", "metropolitan-district": "E08",
              "london-borough": "E09", "city-of-london": "E09", "county": "E10"}
    codes = [a.gss for a in reg.authorities.values() if a.gss]
    assert len(codes) == len(set(codes))
    for a in reg.authorities.values():
        if a.gss:
            assert re.fullmatch(r"E(06|08|09|10)\d{6}", a.gss), a
            assert a.gss.startswith(prefix[a.type]), a
        assert a.region, a


def test_every_abolished_council_has_successors_that_exist_after(reg):
    abolished = [a for a in reg.authorities.values() if a.end]
    assert {a.id for a in abolished} >= {"cumbria-county", "north-yorkshire-county", "somerset-county",
                                          "northamptonshire-county", "buckinghamshire-county", "dorset-county",
                                          "bournemouth", "poole", "bedfordshire-county", "cheshire-county"}
    for a in abolished:
        assert a.successors, a
        for s in a.successors:
            assert reg.authorities[s].exists_on(a.end), (a.id, s)


def test_reorganisations_by_date(reg):
    """Cumbria: abolished on 1 April 2023, Cumberland and Westmorland and Furness created
    (Cumbria (Structural Changes) Order 2022, SI 2022/331)."""
    cumbria = reg.get("cumbria-county")
    assert cumbria.end == date(2023, 4, 1)
    assert set(cumbria.successors) == {"cumberland", "westmorland-and-furness"}
    assert cumbria.exists_on(date(2023, 3, 31)) and not cumbria.exists_on(date(2023, 4, 1))
    assert reg.get("cumberland").exists_on(date(2023, 4, 1)) and not reg.get("cumberland").exists_on(date(2023, 3, 31))
    # the day before: 3 counties (Cumbria, North Yorkshire, Somerset) in place of 4 unitaries
    assert len(reg.current(date(2023, 3, 31))) == 153 - 4 + 3
    # mid-2020: also Northamptonshire County Council in place of its 2 unitaries (from 1 April 2021)
    assert len(reg.current(date(2020, 6, 1))) == 153 - 4 + 3 - 2 + 1


def test_seed_authorities_match_the_register(reg):
    from sendkg.authorities import known_authorities

    for a in known_authorities().values():
        if a.gss:
            assert reg.get(a.gss).id == a.id, a


@pytest.mark.parametrize("text,expected", [
    ("Contact the SEND team at Milton Keynes City Council.", "milton-keynes"),
    ("Hull City Council's Local Offer", "kingston-upon-hull"),
    ("North Somerset Council, not Somerset Council, runs this service. North Somerset Council", "north-somerset"),
    ("Code E09000019 (Islington)", "islington"),
])
def test_a_page_is_matched_by_name_or_code(reg, text, expected):
    a, _ = reg.identify(text, TODAY)
    assert a is not None and a.id == expected


def test_a_page_for_an_abolished_council_is_out_of_date(reg):
    a, mentions = reg.identify("Northamptonshire County Council SEND services", TODAY)
    assert a.id == "northamptonshire-county"
    assert mentions[0].stale and "2021-04-01" in mentions[0].stale and "North Northamptonshire Council" in mentions[0].stale
    a, mentions = reg.identify("Northamptonshire County Council SEND services", date(2020, 1, 1))
    assert mentions[0].stale is None  # it existed then


def test_a_dropped_name_is_out_of_date_but_the_body_is_not(reg):
    a, mentions = reg.identify("Write to Wiltshire County Council", TODAY)
    assert a.id == "wiltshire" and "since 2009-04-01" in mentions[0].stale


def test_an_area_name_alone_is_not_the_abolished_council(reg):
    """'Cumbria' is still a ceremonial county: only 'Cumbria County Council' names the old council."""
    a, mentions = reg.identify("Parents in Cumbria can contact their SENDIASS", TODAY)
    assert a is None and not mentions


def test_two_authorities_named_equally_is_not_a_guess(reg):
    a, mentions = reg.identify("Leeds and Bradford", TODAY)
    assert a is None and {m.authority.id for m in mentions} == {"leeds", "bradford"}
