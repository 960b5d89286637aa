"""Write ontology/england/bank-holidays.ttl: the days that are not working days in England.

The list comes from the maintained ``holidays`` package (regular bank holidays by the rules of the
Banking and Financial Dealings Act 1971 and the annual proclamations, substitute days, and one-off
days such as 19 September 2022), for the years FIRST..LAST. Run it when a new one-off bank holiday
is announced, or add the day to the Turtle file by hand; sendkg reads only the Turtle.

    python scripts/bank_holidays.py [FIRST LAST]
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

OUT = Path(__file__).resolve().parent.parent / "ontology" / "england" / "bank-holidays.ttl"

HEADER = """\
# The days, besides Saturdays and Sundays, that are not working days in England: bank holidays
# in England and Wales (substitute and one-off days included), Christmas Day and Good Friday.
# Written by scripts/bank_holidays.py from the maintained `holidays` package ({version});
# tests/test_calendar.py checks it against that package. A bank holiday announced later (a
# one-off day by royal proclamation) is one more skg:holiday line here: no code changes.
@prefix skg:     <https://w3id.org/sendkg/def#> .
@prefix rdfs:    <http://www.w3.org/2000/01/rdf-schema#> .
@prefix skos:    <http://www.w3.org/2004/02/skos/core#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix xsd:     <http://www.w3.org/2001/XMLSchema#> .
@prefix src:     <https://w3id.org/sendkg/id/source/> .
@prefix cal:     <https://w3id.org/sendkg/id/calendar/> .
@prefix leg:     <http://www.legislation.gov.uk/> .

src:bfda-1971 a skg:LegalDocument ; rdfs:label "Banking and Financial Dealings Act 1971" ; dcterms:identifier "BFDA 1971" ;
    rdfs:comment "Section 1 and Schedule 1: the bank holidays of England and Wales; further days by royal proclamation." ;
    rdfs:seeAlso leg:ukpga\\/1971\\/80 .
src:bfda-s1 a skg:Citation ; rdfs:label "BFDA 1971 s.1 and Sch 1" ; dcterms:isPartOf src:bfda-1971 ;
    skg:provision leg:ukpga\\/1971\\/80\\/section\\/1 ; skg:status skg:Secondary ;
    rdfs:comment "Bank holidays in England and Wales: Easter Monday, the last Monday in August, 26 December (27 December when 26 December is a Sunday), and days appointed by proclamation (New Year's Day, the May holidays, one-off days). Primary wording not read; the dates are those published on gov.uk/bank-holidays as computed by the holidays package." ;
    rdfs:seeAlso <https://www.gov.uk/bank-holidays> .

cal:england-and-wales a skg:HolidayCalendar ;
    rdfs:label "bank holidays in England and Wales" ;
    rdfs:comment "Bank holidays in England and Wales with Christmas Day and Good Friday, {first} to {last}. Working days in the SEND Regulations 2014 and the Tribunal's rules exclude these days and weekends." ;
    dcterms:source src:bfda-s1 , src:hesc-r12 ;
    skg:firstYear {first} ; skg:lastYear {last} ;
    skos:editorialNote "Years after those gov.uk has published are computed by the regular rules; a one-off day announced later must be added here." ;
"""


def main(argv: list[str]) -> int:
    import holidays

    first, last = (int(argv[0]), int(argv[1])) if len(argv) == 2 else (2000, 2035)
    days = holidays.country_holidays("GB", subdiv="ENG", years=range(first, last + 1))
    lines = [HEADER.format(version=f"holidays {holidays.__version__}", first=first, last=last)]
    items = sorted(days.items())
    lines.append("    skg:holiday\n")
    for i, (day, name) in enumerate(items):
        end = " ." if i == len(items) - 1 else " ,"
        label = name.replace("\\", "\\\\").replace('"', '\\"')
        lines.append(f'        [ skg:onDate "{day.isoformat()}"^^xsd:date ; rdfs:label "{label}" ]{end}\n')
    text = "".join(lines)
    fd, tmp = tempfile.mkstemp(dir=OUT.parent, prefix=".bank-holidays.", suffix=".ttl")
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        f.write(text)
    os.replace(tmp, OUT)
    print(f"wrote {len(items)} days, {first}-{last}, to {OUT}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
