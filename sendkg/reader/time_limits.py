"""Time limits: the periods a paragraph states, and which limit of the model each is about (its
cues, the event it is counted from, its length and unit), as skg:TimeLimitClaim."""

from __future__ import annotations

import re
from collections import defaultdict

import pyoxigraph as ox

from sendkg.reader.page import XSD, skg
from sendkg.reader.paragraphs import Para
from sendkg.reader.sentence import QUOTED, in_name, sentences
from sendkg.reader.vocabulary import NUMBERS

# Month names open a date in a worked example ("one month from the certificate is 5 June"): the
# calendar, language not law. The words around a period (what links it to its event, what makes it
# not a limit) are the graph's: ontology/england/cues-grammar.ttl.
DATE = re.compile(r"\b\d{1,2}(?:st|nd|rd|th)?\s+(?:January|February|March|April|May|June|July|August|September|October|November|December)\b")
CLAUSE = re.compile(r"[,;:]")
NUMBER_BEFORE = re.compile(r"(?<![\w.])(?:\d+|" + "|".join(sorted((w for w in NUMBERS if w not in ("a", "an")), key=len, reverse=True)) + r")\s*$", re.IGNORECASE)


def read(ex, p: Para, paragraph: int = 0, lead: list | None = None) -> None:
    """The time limits a paragraph states; ``lead``: the cues of the lead-in line a list item
    stands under ("Your appeal must reach the Tribunal by the later of these two dates:")."""
    v = ex.v
    previous_cues: list = []
    if not v.duration.search(p.text):
        return
    last_claims: list = []  # the claims of the sentence before (a rule of counting may follow it)
    for s0, sentence in sentences(p.text):
        if v.model.past(sentence):  # "until 2021 the limit was ...": not today's limit
            previous_cues = []
            last_claims = []
            continue
        ex.uncertain = v.model.uncertain(p.text, s0, sentence)
        rules = v.claims.find("date-rule", sentence)  # "days in August are not counted" (cues-limits.ttl)
        durations = [d for d in v.duration.finditer(sentence)
                     if not any(s <= d.start() < e for s, e in (m.span() for m in QUOTED.finditer(sentence)))
                     and v.claims.ends("not-a-limit", sentence[:d.start()]) is None
                     and not _not_a_period(v.claims, sentence, d)]
        # not the words of a name ("the Surrey Schools Appeal Service" is not an appeal to the Tribunal)
        cues = [cu for cu in v.find("limit", sentence) if not inside_name(sentence, cu[0], cu[1])]
        # a limit of one kind of appeal only where the sentence names that kind (cue:unopposed-refuse-plan ...)
        kinds = set().union(*(n for *_x, n in v.claims.find("limit-kind", sentence))) if v.claims.limit_needs else set()
        kept = [(s_, e_, ph, keep) for s_, e_, ph, nodes in cues
                if (keep := {x for x in nodes if not (v.claims.limit_needs.get(x) and not v.claims.limit_needs[x] & kinds)})]
        # the words of a limit whose kind the sentence does not name ("the draft plan" with no order nor
        # unopposed appeal): their clause speaks of no limit of the model, so it takes no other's
        unkinded = [(s_, e_) for s_, e_, _ph, nodes in cues if not any(c[0] == s_ for c in kept)]
        cues = kept
        if DATE.search(sentence):  # a worked example ("one month from the certificate is 5 June")
            durations = []
        if not durations:
            previous_cues = cues
            # "You have six months to claim. August is not counted.": the rule is said of the limits before
            for c in last_claims:
                for _s, _e, _p, nodes in rules[:1]:
                    for node in sorted(nodes):
                        ex.add(c, skg("statedDateRule"), ox.NamedNode(node))
            last_claims = []
            continue
        last_claims = []
        if not cues and lead:
            cues = [(-1, -1, phrase, nodes) for _s, _e, phrase, nodes in lead]
        if not cues and (v.claims.ends("limit-back-reference", sentence[:durations[0].start()]) is not None
                         or v.claims.starts("back-reference", sentence) is not None):
            # "There is a strict time limit for appealing. The two months start ...", "You must contact
            # the mediation adviser. This must be within two months of ..." (the sentence before's step)
            cues = [(-1, -1, phrase, nodes) for _s, _e, phrase, nodes in previous_cues]
            # "There is a 2 month time limit to appeal. It can take up to 6 months for a decision.": with no
            # event of its own, which limit "it" is, is a guess from the sentence before; a finding on it is
            # not sure (issue 19 item 5)
            if cues and not ex.uncertain and not v.find("event", sentence):
                ex.uncertain = "its limit named only in the sentence before"
        previous_cues = cues
        events = v.find("event", sentence)
        chosen: list[str | None] = []
        # the limbs each period matches exactly (length and unit), so that another period does
        # not take them ("30 days or 2 months, whichever is longest": the 2 months are the first limb)
        exact = []
        for d in durations:
            nn = int(d.group(1)) if d.group(1).isdigit() else NUMBERS[d.group(1).lower()]
            uu = v.unit_of[d.group(2).lower()]
            exact.append({x for x in v.limit_whole if v.limit_n.get(x) == nn and v.limit_unit.get(x) == uu})
        combined = v.claims.has("combined-limbs", sentence)
        clauses = [m.span() for m in CLAUSE.finditer(sentence)] + \
            [(s, e) for s, e, _p, _n in v.claims.find("limb-break", sentence) if sentence[s - 1:s].isspace() and sentence[e:e + 1].isspace()]
        for k, d in enumerate(durations):
            avoid = set().union(*(exact[j] for j in range(len(durations)) if j != k)) - exact[k]
            number = d.group(1).lower()
            n = int(number) if number.isdigit() else NUMBERS[number]
            unit = v.unit_of[d.group(2).lower()]
            # the event a period runs from follows it, joined by a preposition ("of", "from",
            # "after" ...), close by, in the same clause and before the next stated period
            until = min(d.end() + 60, durations[k + 1].start() if k + 1 < len(durations) else len(sentence))
            after = [e for e in events if d.end() <= e[0] < until and v.claims.has("anchor-link", sentence[d.end():e[0]])
                     and not re.search(r"[,;]", sentence[d.end():e[0]])]
            stated_anchor = next(iter(sorted(after[0][3]))) if after else None
            if after:
                misread = [e for e in v.find("misreading", sentence)
                           if after[0][0] <= e[0] < after[0][1] + 3 and e[1] > after[0][1]]
                if misread:
                    stated_anchor = next(iter(sorted(misread[0][3])))
            if stated_anchor is None and v.claims.starts("from-then", sentence[d.end():]) is not None:  # "thirty days from then"
                prior = [e for e in events if e[1] <= d.start()]
                stated_anchor = next(iter(sorted(prior[-1][3]))) if prior else None
            if stated_anchor is None and k == 0 and v.claims.starts("anchor-link", sentence[d.end():]) is None:
                # the event opens the sentence, before its first period: "Following receipt of the
                # certificate, you have 30 days to appeal" (cue:anchor-lead), when nothing after the period
                # says what it runs from ("... within a month of its date")
                lead_in = [e for e in events if e[1] <= d.start() and v.claims.ends("anchor-lead", sentence[:e[0]]) is not None
                           and not any(o[0] >= e[1] and o[1] <= d.start() for o in events)]
                if lead_in:
                    stated_anchor = next(iter(sorted(lead_in[-1][3])))
                    misread = [e for e in v.find("misreading", sentence) if lead_in[-1][0] <= e[0] < lead_in[-1][1] + 3]
                    if misread:
                        stated_anchor = next(iter(sorted(misread[0][3])))
            # cues in the period's own clause first, else the sentence's
            lo = max([e for s, e in clauses if e <= d.start()], default=0)
            hi = min([s for s, e in clauses if s >= d.end()], default=len(sentence))
            if lo > 0 and v.model.past(sentence[lo:hi]) or lo == 0 and hi < len(sentence) and v.model.past(sentence[:hi]):
                # "Before March 2015 an unopposed appeal gave the council 4 weeks; now it has 5 weeks":
                # the period's own clause is about the past
                chosen.append(None)
                continue
            own = [c for c in cues if lo <= c[0] and c[1] <= hi]
            if not own and any(lo <= a and b <= hi for a, b in unkinded):
                chosen.append(None)
                continue
            if not own:  # the sentence's cues, but not for a limit another period has taken
                taken = {x for x in chosen if x}
                own = [(s, e, ph, nodes - taken) for s, e, ph, nodes in cues if nodes - taken]
            limit = which_limit(v, own, d, stated_anchor, unit, n, chosen, avoid, combined, cues)
            chosen.append(limit)
            if limit is None:
                continue
            c = ex.claim("TimeLimitClaim", p, s0 + d.start(), sentence[d.start():d.end() + 60].split(",")[0])
            ex.add(c, skg("aboutLimit"), ox.NamedNode(limit))
            ex.add(c, skg("statedDuration"), ox.Literal(str(n), datatype=ox.NamedNode(XSD + "integer")))
            ex.add(c, skg("statedUnit"), ox.NamedNode(unit))
            if stated_anchor:
                ex.add(c, skg("statedAnchor"), ox.NamedNode(stated_anchor))
            ex.add(c, skg("inParagraph"), ox.Literal(str(paragraph), datatype=ox.NamedNode(XSD + "integer")))
            last_claims.append(c)
            for _s, _e, _p, nodes in rules[:1]:  # a rule of counting stated in the same sentence
                for node in sorted(nodes):
                    ex.add(c, skg("statedDateRule"), ox.NamedNode(node))
            if limit in v.limit_whole and not any(x in v.limit_whole for x in chosen[:-1]):
                # "whichever comes first": how the limbs combine, said once, on the first limb stated
                for _s, _e, _p, nodes in v.claims.find("combination", sentence)[:1]:
                    for node in sorted(nodes):
                        ex.add(c, skg("statedCombination"), ox.NamedNode(node))

def inside_name(sentence: str, start: int, end: int) -> bool:
    """The words at start:end are inside a longer name: capitalised after a capitalised word, and
    followed by one ("the Surrey Schools Appeal Service"; not "the Social Care Ombudsman", a body's name
    that ends with them)."""
    return in_name(sentence, start) and bool(re.match(r"\s+[A-Z]", sentence[end:]))


def _not_a_period(c, sentence: str, d) -> bool:
    """One end of a range, an age, or a period used as an adjective ("a one-day hearing")."""
    before, after = sentence[:d.start()], sentence[d.end():]
    link = c.ends("range-link", before)
    if link is not None and NUMBER_BEFORE.search(before[:link]):
        return True
    if c.starts("period-as-adjective", after) is not None:
        return True
    if d.group(2).lower().startswith("year"):
        if c.ends("age-word", before) is not None:
            return True
    return "-" in d.group(0) and bool(re.match(r"\s+[a-z]", after)) and c.starts("period-noun", after) is None


def which_limit(v, cues, d, anchor, unit, n, chosen=(), avoid=(), combined=False, context=()) -> str | None:
    """The time limit a stated period is about: the most cues in its clause; then the stated
    anchor (the limit's own, else an event that is a misreading of it); then the nearest cue of its
    own; then the most cues in the whole sentence (``context``: "If the council does not oppose an
    appeal against a refusal to make a plan, the final plan ..."); then the unit, then the number.
    None when two limits still fit equally well."""
    around: dict[str, int] = defaultdict(int)
    for _s, _e, _p, nodes in context:
        for node in nodes:
            around[node] += 1
    score: dict[str, int] = defaultdict(int)
    where: dict[str, list[tuple[int, int]]] = defaultdict(list)
    longest: dict[str, int] = defaultdict(int)  # the most specific words for it ("contact the mediation adviser" over "appeal")
    for start, end, phrase, nodes in cues:
        for node in nodes:
            score[node] += 1
            where[node].append((start, end))
            longest[node] = max(longest[node], len(phrase.split()))
    if not score:
        return by_anchor(v, anchor, unit, n, combined) if anchor else None
    shared = {(s, e): len(nodes) for s, e, _p, nodes in cues}

    def gap(span):  # characters between a cue and the stated period
        s, e = span
        return d.start() - e if e <= d.start() else s - d.end() if s >= d.end() else 0

    def key(node):
        unique = [gap(span) for span in where[node] if shared[span] == 1]
        own = v.limit_anchor.get(node)
        anchored = 2 if own == anchor else 1 if own in v.misreads.get(anchor, ()) else 0
        return (score[node], anchored, -(min(unique) if unique else 10**6), around[node], longest[node] >= 2,
                v.limit_unit.get(node) == unit, v.limit_n.get(node) == n)

    ranked = sorted(score, key=key, reverse=True)
    if anchor is not None and key(ranked[0])[1] == 0:
        # the stated event is not the best limit's, nor a misreading of it ("two months from when
        # you received the final plan" is not the 20 weeks to the final plan): the limits counted
        # from that event (or the one it misreads) with this length, if only one fits; else none
        fit = by_anchor(v, anchor, unit, n, combined, strict=True)
        if fit:
            return fit
        if len(ranked) > 1 and key(ranked[0]) == key(ranked[1]):
            # the cues cannot choose, and the stated event is its own event to one limit only
            # ("the final plan ... within 10 weeks of the decision to re-assess": the plan after a re-assessment)
            own = [node for node, a in v.limit_anchor.items() if a == anchor]
            if len(own) == 1 and own[0] not in chosen:
                return own[0]
    if len(ranked) > 1 and key(ranked[0]) == key(ranked[1]):
        # two limbs of one combined limit (the appeal's two months and one month): the limb the
        # sentence has not stated yet, else the first limb; any other tie: do not guess
        tied = [r for r in ranked if key(r) == key(ranked[0])]
        wholes = {v.limit_whole.get(r, (None, 0))[0] for r in tied}
        if len(wholes) == 1 and None not in wholes:
            fresh = [r for r in tied if r not in chosen and r not in avoid] or [r for r in tied if r not in chosen] or tied
            return min(fresh, key=lambda r: v.limit_whole[r][1])
        return None
    return ranked[0]

def by_anchor(v, anchor, unit, n, combined, strict=False) -> str | None:
    """The limit counted from the stated event (or the one it misreads) with this length and
    unit, if only one fits; in a sentence that combines two limbs ("whichever is later"), a limb."""
    fits = [node for node, own in v.limit_anchor.items()
            if (own == anchor or own in v.misreads.get(anchor, ()))
            and v.limit_unit.get(node) == unit and v.limit_n.get(node) == n]
    if combined and len(fits) > 1:
        fits = [f for f in fits if f in v.limit_whole]
    if not fits and (combined or not strict):  # a wrong length: the one limit counted from that event, if only one is
        fits = [node for node, own in v.limit_anchor.items() if own == anchor or own in v.misreads.get(anchor, ())]
    return fits[0] if len(fits) == 1 else None
