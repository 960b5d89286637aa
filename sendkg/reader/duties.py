"""Duties and actors: what a page says is required or optional of the family (skg:ObligationClaim:
modality, negation, the subject of the modal verb), an instrument said to make a legal duty, and who
does what (skg:ActorClaim: the mediator presents the appeal, the council issues the certificate)."""

from __future__ import annotations

import re

import pyoxigraph as ox

from sendkg.reader.page import SKG, XSD, skg
from sendkg.reader.scope import BULLET, HEALTH, conditions_of
from sendkg.reader.sentence import clause_ok, in_name, in_quote, sentences

def code_duty(r, para, paragraph, s0, sentence, quoted):
    """An instrument said to make a legal duty ("the Code of Practice makes it a legal requirement")."""
    duty = r.c.find("code-duty", sentence)
    if not duty or r.c.has("hedge", sentence):
        return
    for s, e, _p, nodes in r.c.find("instrument", sentence):
        if in_quote(quoted, s) or abs(s - duty[0][0]) > 80:
            continue
        c = r.claim("ObligationClaim", para, s0 + min(s, duty[0][0]), sentence[min(s, duty[0][0]):max(e, duty[0][1])], paragraph)
        r.ex.add(c, skg("claimModality"), skg("Required"))
        for i in sorted(nodes):
            r.ex.add(c, skg("attributedTo"), ox.NamedNode(i))


def obligations(r, para, paragraph, s0, sentence, before, quoted):
    if r.c.has("hedge", sentence):
        return
    names = [(s, e) for s, e, _p, _n in r.v.find("provider", sentence)]
    # nor inside a request for information ("if you would like further information about mediation")
    names += [(s, e) for s, e, _p, _n in r.c.find("not-step", sentence)]
    # a step's word inside a name ("Global Mediation", a provider) is not the step
    steps = [st for st in r.c.find("step", sentence)
             if not any(s <= st[0] < e for s, e in names) and not in_name(sentence, st[0])]
    mods = r.c.find("modality", sentence)
    if not mods:
        return
    subjects = r.c.find("subject", sentence)
    actors = r.c.find("actor", sentence)
    negations = r.c.find("negation", sentence)
    conditions = conditions_of(r, sentence, before)
    health = any(HEALTH in nodes for *_x, nodes in r.c.find("scope", sentence))
    attributed = set()
    if r.c.has("attribution", sentence):
        for _s, _e, _p, nodes in r.c.find("instrument", sentence):
            attributed |= nodes
    seen = set()
    denials = r.c.find("denial", sentence)
    appealing = r.c.has("appeal-word", sentence)  # the step is said of appealing
    # "If you want to appeal ... you will need a certificate": the wish is the appeal's (cue:wish-to-appeal)
    wishes = r.c.find("wish-to-appeal", sentence)
    # "You don't have to get mediation advice if your appeal is only about:": lifted only for the list under it
    lead_in = sentence.rstrip().endswith(":")
    # "if your appeal is only ...": an exclusive word beside an appeal's (scope.exception's own test)
    words = r.c.find("appeal-word", sentence) + r.c.find("dispute-word", sentence)
    # in a condition ("if", "where": cue:listed-condition), not "you can just appeal"
    ifs = r.c.find("listed-condition", sentence)
    exception_frame = [x for x in r.c.find("exclusive", sentence)
                       if any(abs(w[0] - x[1]) <= 25 or abs(x[0] - w[1]) <= 25 for w in words)
                       and any(e <= x[0] and x[0] - e <= 30 for _s, e, _p, _n in ifs)]
    for ms, me, phrase, nodes in mods:
        if in_quote(quoted, ms):
            continue
        if any(s <= ms < e for s, e, _p, _n in wishes):
            continue
        if any(e <= ms and ms - e <= 30 for _s, e, _p, _n in denials):
            continue  # "does not mean you have to ...": the duty is denied
        for node in nodes:
            a = r.c.attrs[node]
            target = None
            if a["governs"] == "fixed":
                # "tell the adviser you do not want mediation ... you can go straight to the Tribunal"
                if any(a["step"] in n for *_x, n in r.c.find("step", sentence + " " + before)):
                    continue
                target, at, end = a["step"], ms, me
            elif a["governs"] == "following":
                after = [st for st in steps if st[0] >= me and st[0] - me <= (60 if not a["subject"] else 40) and clause_ok(r.c, sentence[me:st[0]])
                         and not r.c.has("modal-step-break", sentence[me:st[0]])]
                if after:
                    target, at, end = sorted(after[0][3])[0], ms, after[0][1]
            else:  # preceding
                prior = [st for st in steps if st[1] <= ms and ms - st[1] <= 25 and clause_ok(r.c, sentence[st[1]:ms])]
                # "Once you have had mediation advice it is up to you to decide whether to go to mediation":
                # a step named after the phrase, in its clause, is what is up to the family
                later = [st for st in steps if st[0] >= me and st[0] - me <= 60 and clause_ok(r.c, sentence[me:st[0]])] \
                    if a["modality"].endswith("Optional") else []
                if later and prior:
                    target, at, end = sorted(later[0][3])[0], ms, later[0][1]
                elif prior:
                    target, at, end = sorted(prior[-1][3])[0], prior[-1][0], me
                elif r.c.whole("back-reference", sentence[:ms]) and before and not re.match(r"\s+to\s", sentence[me:]) \
                        and not r.c.find("step", sentence[me:]):
                    # "Step 2: attend mediation. This must happen before you appeal."
                    earlier = r.c.find("step", before)
                    if earlier:
                        target, at, end = sorted(earlier[-1][3])[0], ms, me
            if target is None:
                continue
            if a["subject"] and not family_subject(r.c, sentence, ms, subjects, actors):
                continue
            if a["governs"] == "following" and r.c.starts("done-to", sentence[me:]) is not None:
                continue  # "you must be offered mediation": done to the family, not by it
            modality = a["modality"]
            flipped = False
            if a["negatable"]:
                flipped = any(e <= ms and ms - e <= 40 and clause_ok(r.c, sentence[e:ms]) for _s, e, _p, _n in negations)
            elif a["governs"] == "preceding":
                flipped = any(e <= at and at - e <= 3 for _s, e, _p, _n in negations)
            if flipped:
                modality = SKG + ("Required" if modality.endswith("Optional") else "Optional")
                if a["negatable"] and not appealing:
                    continue  # "it isn't possible to reach agreement without mediation" says nothing of appealing
            if modality.endswith("Optional") and lead_in and \
                    any(s >= me for s, _e, _p, _n in r.c.find("listed-condition", sentence)):
                continue
            if modality.endswith("Optional") and any(x[0] >= me for x in exception_frame):
                # "You do not have to have mediation advice if your appeal is only about ...": the step
                # lifted for an exception (its terms are the exception's to judge, even cut off)
                continue
            key = (target, modality)
            if key in seen:
                continue
            seen.add(key)
            # "You must request mediation within 2 months of the decision": the modal may bear on the time
            # (a family that wants mediation must ask in time), not on the step; not sure it says the step is
            # required (issue 19 item 5: an info)
            was = r.ex.uncertain
            if modality.endswith("Required") and not r.ex.uncertain and r.c.has("time-bound", sentence[end:end + 12]) \
                    and r.v.duration.search(sentence[end:end + 40]):
                r.ex.uncertain = "its modal may bear on the time limit, not on the step"
            c = r.claim("ObligationClaim", para, s0 + at, sentence[at:end], paragraph)
            r.ex.uncertain = was
            r.ex.add(c, skg("claimStep"), ox.NamedNode(target))
            r.ex.add(c, skg("claimModality"), ox.NamedNode(modality))
            if appealing:
                r.ex.add(c, skg("beforeAppeal"), ox.Literal("true", datatype=ox.NamedNode(XSD + "boolean")))
            if (a["advisory"] or r.c.has("most-cases", sentence)) and not flipped:
                r.ex.add(c, skg("advisory"), ox.Literal("true", datatype=ox.NamedNode(XSD + "boolean")))
            for cond in sorted(conditions):
                r.ex.add(c, skg("underCondition"), ox.NamedNode(cond))
            if health:
                r.ex.add(c, skg("claimDecision"), ox.NamedNode(HEALTH))
            for inst in sorted(attributed):
                r.ex.add(c, skg("attributedTo"), ox.NamedNode(inst))


def family_subject(c, sentence, at, subjects, actors) -> bool:
    """The family is the subject of the modal verb at ``at``: the nearest party named before it,
    in its clause, is the family ("you must", "anyone who wants to appeal ... must"), not another
    (the council, the mediator)."""
    family = [(e, True) for _s, e, _p, _n in subjects if e <= at and at - e <= 120 and clause_ok(c, sentence[e:at])]
    others = [(e, False) for s, e, _p, n in actors if e <= at and at - e <= 120 and clause_ok(c, sentence[e:at])
              and not any(x.endswith(("/parent", "/young-person")) for x in n)
              and c.after_determiner("object-preposition", sentence[:s]) is None]  # "at the Tribunal" is not a subject
    near = sorted(family + others)
    return bool(near) and near[-1][1]


def actors(r, para, paragraph, s0, sentence, before, quoted):
    acts = [(a, "before") for a in r.c.find("act-before", sentence)] + \
           [(a, "after") for a in r.c.find("act-after", sentence)]
    if not acts or r.c.has("hedge", sentence):
        return
    # "independent of the council": that party is named as not the doer
    actors = [x for x in r.c.find("actor", sentence) if r.c.after_determiner("not-the-doer", sentence[:x[0]]) is None]
    helpers = r.c.find("helper", sentence)
    negations = r.c.find("negation", sentence)
    events = set()
    for text in (sentence, before):
        for _s, _e, _p, nodes in r.c.find("after-mediation", text):
            events |= {r.c.attrs[n]["event"] for n in nodes if r.c.attrs.get(n, {}).get("event")}
    for (s, e, phrase, act_nodes), side in acts:
        if in_quote(quoted, s):
            continue
        if side == "before":
            # "Contact the mediation adviser to arrange ...": the party is the verb's object, not the doer
            cands = [x for x in actors if x[1] <= s and s - x[1] <= 45
                     and r.c.after_determiner("object-verb", sentence[:x[0]]) is None]
            pick = cands[-1] if cands else None
            gap = (pick[1], s) if pick else None
        else:
            cands = [x for x in actors if x[0] >= e and x[0] - e <= 30]
            pick = cands[0] if cands else None
            gap = (e, pick[0]) if pick else None
        if pick is None:
            continue
        between = sentence[gap[0]:gap[1]]
        if not clause_ok(r.c, between) or any(gap[0] <= hs and he <= gap[1] for hs, he, _p, _n in helpers):
            continue
        if any(ne <= min(s, pick[0]) and min(s, pick[0]) - ne <= 12 for _ns, ne, _p, _n in negations):
            continue
        # "the Tribunal cannot award compensation": the act denied of its doer (skg:claimNegated)
        negated = any(gap[0] <= ns and ne <= gap[1] for ns, ne, _p, _n in negations)
        start = min(s, pick[0])
        # placed at the act's words ("will present your appeal"), quoted with its doer
        c = r.claim("ActorClaim", para, s0 + s, sentence[start:max(e, pick[1])], paragraph)
        if negated:
            r.ex.add(c, skg("claimNegated"), ox.Literal("true", datatype=ox.NamedNode(XSD + "boolean")))
        for x in listed(r.c, sentence, actors, pick, side):
            for node in sorted(x[3]):
                r.ex.add(c, skg("claimActor"), ox.NamedNode(node))
        for node in sorted(act_nodes):
            r.ex.add(c, skg("claimAct"), ox.NamedNode(node))
        for ev in sorted(events):
            r.ex.add(c, skg("afterEvent"), ox.NamedNode(ev))


def listed(c, sentence, actors, pick, side) -> list:
    """The doer picked and the parties listed with it ("The school, a doctor or any practitioner can
    ask ...", "can be made by parents, young people or any professional"): a run of parties joined by
    commas, "and" or "or" (cue:list-join), read away from the act."""
    out = [pick]
    order = sorted(actors)
    i = order.index(pick)
    step = -1 if side == "before" else 1
    j = i + step
    while 0 <= j < len(order):
        a, b = (order[j], out[-1]) if step < 0 else (out[-1], order[j])
        between = sentence[a[1]:b[0]]
        cut = c.ends("determiner", between)
        if not c.whole("list-join", between if cut is None else between[:cut]):
            break
        out.append(order[j])
        j += step
    return out


def actor_lists(r, paras, quoted, start_index) -> None:
    """A lead-in that asks or says who does an act ("Who can request an EHC needs assessment?", "The
    people who can request an assessment are:") and the list items under it, each naming a party: an
    skg:ActorClaim for each item's party (cue:who-lead, ontology/england/cues-grammar.ttl)."""
    c = r.c
    for i, p in enumerate(paras):
        if quoted[i] or not p.text.rstrip().endswith((":", "?")):
            continue
        text = list(sentences(p.text))[-1][1].strip()  # the lead-in: the paragraph's last sentence
        if not c.has("who-lead", text) or c.has("hedge", text):
            continue
        acts = c.find("act-before", text) + c.find("act-after", text)
        if not acts or c.has("negation", text):
            continue
        act_nodes = set().union(*(a[3] for a in acts))
        j, seen = i + 1, 0
        while j < len(paras) and seen < 14:
            t = paras[j].text
            if not t.strip():
                if seen:
                    break
                j += 1
                continue
            if not (BULLET.match(t) or (paras[j].html and len(t.strip()) < 250)) or t.strip().endswith(":") or t.lstrip().startswith("#"):
                break
            seen += 1
            item = t[:80]
            found = [x for x in c.find("actor", item) if c.after_determiner("object-preposition", item[:x[0]]) is None]
            if found and not c.has("negation", item) and not quoted[j]:
                s_, e_, _p, nodes = found[0]
                cl = r.claim("ActorClaim", paras[j], s_, t[s_:e_], start_index + j)
                for node in sorted(nodes):
                    r.ex.add(cl, skg("claimActor"), ox.NamedNode(node))
                for node in sorted(act_nodes):
                    r.ex.add(cl, skg("claimAct"), ox.NamedNode(node))
            j += 1
