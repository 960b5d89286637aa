"""Scope and exceptions: the section I exception as a page states it (skg:ExceptionClaim with the
aspects it covers), lists of what can be appealed (skg:AppealListClaim, skg:ScopeClaim), health and
social care said to be appealable on their own (skg:AppealableClaim), and the conditions a sentence
puts its claims under."""

from __future__ import annotations

import re

import pyoxigraph as ox

from sendkg.reader.page import SentenceReader, skg
from sendkg.reader.sentence import CLAUSE_MARKS, clause_ok, in_quote, sentences

HEALTH = "https://w3id.org/sendkg/id/decision/health-social-care"
SECTION_I = "https://w3id.org/sendkg/id/condition/section-i-only"
WITH_EDUCATION = "https://w3id.org/sendkg/id/condition/with-education-appeal"
ALL_OF_SECTION_I = "https://w3id.org/sendkg/id/aspect/section-i"
ADVICE = "https://w3id.org/sendkg/id/route/mediation-advice"
BULLET = re.compile(r"^\s*(?:[-*•·–]|\d+[.)]|\([a-z0-9]+\))\s+")


def merged_groups(node_sets) -> list[set]:
    """Decisions named together, merged where the names overlap ("the contents of the plan" and
    "an amended plan" are one item of a list, not two)."""
    groups: list[set] = []
    for nodes in node_sets:
        nodes = set(nodes)
        for g in [g for g in groups if g & nodes]:
            groups.remove(g)
            nodes |= g
        groups.append(nodes)
    return groups


def conditions_of(r, sentence: str, before: str) -> set[str]:
    """Conditions the sentence (or the one before it) puts its claims under."""
    out = set()
    for text in (sentence, before):
        for _s, _e, _p, nodes in r.c.find("condition-cue", text):
            out |= nodes
        for _s, _e, _p, nodes in r.v.find("condition", text):
            out |= nodes
        if r.c.has("exclusive", text) and r.c.has("aspect", text):
            out.add(SECTION_I)
    return out


def exception(r, para, paragraph, s0, sentence, quoted, before=""):
    """The section I exception as the sentence states it, with the aspects it names; ``before``: the
    sentence before, which "this does not apply if ..." refers to."""
    words = r.c.find("appeal-word", sentence) + r.c.find("dispute-word", sentence)
    exclusive = [x for x in r.c.find("exclusive", sentence)
                 if any(abs(w[0] - x[1]) <= 25 or abs(x[0] - w[1]) <= 25 for w in words)]
    aspects = [a for a in r.c.find("aspect", sentence)
               if not (ALL_OF_SECTION_I in a[3] and r.c.after_determiner("aspect-container", sentence[:a[0]]) is not None)]
    if not exclusive or not aspects:
        return
    first = min(s for s, *_ in exclusive)
    about = any(ADVICE in n for *_x, n in r.c.find("step", sentence)) or r.c.has("exception-topic", sentence) or \
        (before and any(s < first for s, *_x in r.c.find("back-reference", sentence))
         and (any(ADVICE in n for *_x, n in r.c.find("step", before)) or r.c.has("exception-topic", before)))
    if not about:
        return
    named = [a for a in aspects if a[0] > first] or aspects
    if in_quote(quoted, named[0][0]):
        return
    start = min(first, named[0][0])
    c = r.claim("ExceptionClaim", para, s0 + named[0][0], sentence[start:max(named[-1][1], first + 4)], paragraph)
    r.ex.add(c, skg("mentionsCondition"), ox.NamedNode(SECTION_I))
    for node in sorted(set().union(*(a[3] for a in named))):
        r.ex.add(c, skg("coversAspect"), ox.NamedNode(node))


def appealable(r, para, paragraph, s0, sentence, quoted):
    if r.c.has("no-appeal", sentence) or r.c.has("hedge", sentence):
        return
    scope = r.c.find("appeal-scope", sentence)
    # not the "Health and Care" of "Education, Health and Care Plan"
    # nor the words of a name ("the Special Educational Needs and Disability Tribunal" names no decision)
    names = [(b[0], b[1]) for b in r.c.find("body", sentence) + r.v.find("term", sentence)]
    decisions = [d for d in r.c.find("scope", sentence) if not in_quote(quoted, d[0])
                 and not any(d[0] < e and s < d[1] for s, e in names)
                 and not (HEALTH in d[3] and r.c.ends("plan-name-lead", sentence[:d[0]]) is not None)]
    health = [d for d in decisions if HEALTH in d[3]]
    if health and (scope or r.c.has("appeal-word", sentence)):
        hs, he = health[0][0], health[0][1]
        # health or care "alone", "only", "without appealing the education parts"
        alone = any(abs(x[0] - he) <= 25 or abs(hs - x[1]) <= 30 for x in r.c.find("alone", sentence))
        qualified = any(WITH_EDUCATION in n for *_x, n in r.c.find("condition-cue", sentence))
        negated = r.c.find("negation", sentence[max(0, hs - 40):hs])
        if (alone or scope) and not qualified and not negated:
            c = r.claim("AppealableClaim", para, s0 + hs, sentence[hs:he], paragraph)
            r.ex.add(c, skg("claimsAppealable"), ox.NamedNode(HEALTH))
    if not scope or r.c.has("example", sentence):
        return
    others = [d for d in decisions if HEALTH not in d[3]]
    # the list ends where another clause with a verb of its own begins ("an appeal against ceasing the
    # plan, and has agreed to amend it": the amendment is not listed as appealable)
    for k, d in enumerate(others):
        between = sentence[scope[0][1]:d[0]]
        marks = [m.end() for m in CLAUSE_MARKS.finditer(between)]
        if any(0 <= x[0] - m <= 8 for m in marks for x in r.c.find("present", between)):  # ", and has agreed ..."
            others = others[:k]
            break
    if others and r.c.starts("subordinate-lead", sentence) is not None and all(d[1] <= scope[0][0] for d in others):
        # "If you do not agree with the decision to cease the plan, you have the right to appeal": the
        # decision is the condition the right is said under, not a list of what can be appealed
        return
    groups = merged_groups(d[3] for d in others)
    # "your right to appeal only arises when ...": "only" of when the right arises, not of what it covers
    timing = {x[0] for x in r.c.find("only-when", sentence)}
    only = any(x[0] >= scope[0][1] and x[0] - scope[0][1] <= 12 and x[0] not in timing for x in r.c.find("exclusive", sentence))
    if others and r.c.has("continuation", sentence[:scope[0][1] + 10]):
        # "You can also appeal about ...": the rest of a list, read with the list it continues
        list_claim(r, para, paragraph, s0 + scope[0][0], sentence[scope[0][0]:others[-1][1]], others, "ScopeClaim")
    elif others and (len(groups) >= 2 or only):
        list_claim(r, para, paragraph, s0 + scope[0][0], sentence[scope[0][0]:others[-1][1]], others)


def list_claim(r, para, paragraph, at, quote, decisions, kind="AppealListClaim"):
    c = r.claim(kind, para, at, quote, paragraph)
    for node in sorted(set().union(*(d[3] for d in decisions))):
        r.ex.add(c, skg("listsDecision"), ox.NamedNode(node))


def list_items(paras, i) -> list[tuple[int, str]]:
    """The list items under the lead-in ``paras[i]`` (a paragraph ending with ':'), up to 14."""
    items, j = [], i + 1
    while j < len(paras) and len(items) < 14:
        t = paras[j].text.strip()
        if not t:
            if items:
                break
            j += 1
            continue
        is_item = bool(BULLET.match(paras[j].text)) or (paras[j].html and len(t) < 250)
        if not is_item or t.endswith(":") or t.startswith("#"):
            break
        items.append((j, t))
        j += 1
    return items


def exception_lists(reader: SentenceReader, paras, quoted, start_index) -> None:
    """The section I exception given as a lead-in and its list ("You do not have to get mediation
    advice if your appeal is only about:" and items naming the school, its type, no school named):
    one skg:ExceptionClaim with the aspects the items name (CFA 2014 s.55(3), s.51(2)(c))."""
    c = reader.c
    for i, p in enumerate(paras):
        if quoted[i] or not p.text.rstrip().endswith(":"):
            continue
        lead = list(sentences(p.text))[-1][1]
        words = c.find("appeal-word", lead) + c.find("dispute-word", lead)
        if not any(abs(w[0] - x[1]) <= 25 or abs(x[0] - w[1]) <= 25 for x in c.find("exclusive", lead) for w in words):
            continue
        if not (any(ADVICE in n for *_x, n in c.find("step", lead)) or c.has("exception-topic", lead)):
            continue
        found = []
        for j, t in list_items(paras, i):
            if quoted[j]:
                continue
            for a in c.find("aspect", paras[j].text):
                found.append((j, a))
        if not found:
            continue
        j, (s_, e_, _p, _n) = found[0]
        cl = reader.claim("ExceptionClaim", paras[j], s_, paras[j].text[s_:e_], start_index + j)
        reader.ex.add(cl, skg("mentionsCondition"), ox.NamedNode(SECTION_I))
        for node in sorted(set().union(*(a[3] for _j, a in found))):
            reader.ex.add(cl, skg("coversAspect"), ox.NamedNode(node))


def appeal_lists(reader: SentenceReader, paras, quoted, start_index) -> None:
    """A paragraph ending with ':' that says what can be appealed, and the list items after it."""
    c = reader.c
    for i, p in enumerate(paras):
        text = p.text.strip()
        if quoted[i] or not text.endswith(":") or not c.has("appeal-scope", text):
            continue
        if c.has("no-appeal", text) or c.has("example", text) or c.has("hedge", text):
            continue
        items = list_items(paras, i)
        if len(items) < 2:
            continue
        decisions, health, unread = [], [], 0
        for j, t in items:
            # not a decision named as when another is made ("not to amend the plan following a
            # reassessment or review": the re-assessment is the occasion, cue:anchor-lead)
            found = [d for d in c.find("scope", t) if not (c.after_determiner("anchor-lead", t[:d[0]]) is not None
                                                           and any(e <= d[0] for _s, e, _p, _n in c.find("scope", t)))
                     # "not to conduct an Education, Health and Care (EHC) needs assessment": the plan's name
                     and not (HEALTH in d[3] and c.ends("plan-name-lead", t[:d[0]]) is not None)]
            # an item that names no decision the reader knows (not a sub-heading "Where a plan has been
            # drawn up:"): the list may hold what the reader would call left out, so it is not sure
            if not found and not t.rstrip().endswith(":") and len(t.split()) > 3:
                unread += 1
            for d in found:
                (health if HEALTH in d[3] else decisions).append((j, d))
        if health:
            qualified = any(WITH_EDUCATION in n for jj, _ in health for *_x, n in c.find("condition-cue", paras[jj].text)) \
                or any(WITH_EDUCATION in n for *_x, n in c.find("condition-cue", text))
            if not qualified:
                jj, d = health[0]
                cl = reader.claim("AppealableClaim", paras[jj], paras[jj].text.index(d[2]) if d[2] in paras[jj].text else 0,
                                   d[2], start_index + jj)
                reader.ex.add(cl, skg("claimsAppealable"), ox.NamedNode(HEALTH))
        if len(merged_groups(d[3] for _j, d in decisions)) >= 2:
            # placed at the lead-in, the paragraph's last sentence (its lines may have been joined)
            at = list(sentences(p.text))[-1][0] if p.text.strip() else 0
            at += len(p.text[at:]) - len(p.text[at:].lstrip())
            reader.ex.uncertain = "a list with items the reader could not read" if unread else None
            list_claim(reader, p, start_index + i, at, text, [d for _j, d in decisions])
            reader.ex.uncertain = None


def framed(r, para, paragraph, s0, sentence, quoted, before=""):
    """A topic put in a frame of scope or order (ontology/england/scope-frames.ttl): "any decision can
    be appealed", "a plan can only be changed at its annual review", "mediation comes at the end of the
    process", as skg:FramedClaim. A frame negated just before it ("not only at the annual review"), a
    topic narrowed to a list ("any of the following decisions"), a hedge or an example gives none."""
    frames = [f for f in r.c.find("scope-frame", sentence) if not in_quote(quoted, f[0])]
    if not frames or r.c.has("hedge", sentence):
        return
    topics = r.c.find("scope-topic", sentence)
    if not topics:
        return
    negations = r.c.find("negation", sentence)
    denials = r.c.find("denial", sentence)  # "there is no rule that ...": the whole clause after it denied
    examples = r.c.find("example", sentence)
    done = set()
    for fs, fe, _fp, fnodes in frames:
        # "not only at the review", "not at the end": the frame denied
        denied = any(ne <= fs and fs - ne <= 12 and clause_ok(r.c, sentence[ne:fs]) for _ns, ne, _p, _n in negations)
        # "cannot be changed between annual reviews": a frame said through a negation
        said_not = any(ne <= fs and fs - ne <= 45 and clause_ok(r.c, sentence[ne:fs]) for _ns, ne, _p, _n in negations)
        if any(de <= fs for _ds, de, _p, _n in denials):
            continue
        for fnode in sorted(fnodes):
            fa = r.c.attrs.get(fnode, {})
            if (not said_not) if fa.get("negated") else denied:
                continue
            gap = fa.get("gap") or 40
            for ts, te, _tp, tnodes in topics:
                if fa.get("position") == "before":
                    between = sentence[fe:ts]
                    if not (0 <= ts - fe <= gap) or not clause_ok(r.c, between) or r.c.has("topic-restrictor", between):
                        continue
                    # "any decision listed below", "any decision not to assess" (one decision of the list),
                    # "any decision made by the LA which gives you the right to appeal"
                    after = sentence[te:te + 60]
                    cut = next((x for x in range(len(after)) if not clause_ok(r.c, after[:x + 1])), len(after))
                    if r.c.has("topic-restrictor", after[:cut]) or r.c.starts("scope", after) is not None:
                        continue
                else:
                    # in one clause (a conditional is part of the frame: "will only assess if the school has spent ...")
                    # and a sentence that opens with a subordinate clause ("Before asking for an assessment,
                    # the school must spend ...") reads across the comma that closes it
                    lo, hi = (te, fs) if te <= fs else (fe, ts)
                    marks = [m.start() for m in CLAUSE_MARKS.finditer(sentence, lo, hi)] if hi > lo else []
                    if marks and r.c.starts("subordinate-lead", sentence) is not None and marks == [sentence.find(",")]:
                        marks = []
                    if hi - lo > gap or marks:
                        continue
                # "for example, any decision ...": an example, not a rule
                if any(0 <= min(fs, ts) - ee <= 20 and not CLAUSE_MARKS.search(sentence[ee:min(fs, ts)]) for _es, ee, _p, _n in examples):
                    continue
                for tnode in sorted(tnodes):
                    needs = r.c.attrs.get(tnode, {}).get("needs")
                    if needs and not any(clause_ok(r.c, sentence[min(te, ns):max(ts, ne)]) or ns <= ts < ne
                                         for ns, ne, _p, _n in r.c.find(needs, sentence)):
                        continue  # the word of appealing in the topic's own clause
                    if (tnode, fnode) in done:
                        continue
                    done.add((tnode, fnode))
                    start, end = min(fs, ts), max(fe, te)
                    c = r.claim("FramedClaim", para, s0 + start, sentence[start:end], paragraph)
                    r.ex.add(c, skg("claimTopic"), ox.NamedNode(tnode))
                    r.ex.add(c, skg("claimFrame"), ox.NamedNode(fnode))
                    for cond in sorted(conditions_of(r, sentence, before)):
                        r.ex.add(c, skg("underCondition"), ox.NamedNode(cond))
