"""The reader's sentence model (issue 19 items 2 and 5): a claim about the past is not a claim about
today; a name given as another name is not used as today's; a question, a hedged or a cut-off sentence
gives an info, never a warning; a page-level omission on one page is never above info."""

from pathlib import Path

import pytest

from sendkg.lint import lint
from sendkg.reader import Vocabulary, vocabulary_store


@pytest.fixture(scope="module")
def model():
    return Vocabulary(vocabulary_store()).model


@pytest.mark.parametrize("sentence", [
    "Before April 2018, some children still had a statement of special educational needs.",
    "The national trial (2018-2021) allowed the Tribunal to make recommendations.",
    "Until 2021 these recommendations were made under the national trial.",
    "The LGSCO previously had jurisdiction to investigate complaints about a school's governing body.",
    "The Special Educational Needs and Disability Tribunal used to hear these appeals.",
    "During the national trial, the Tribunal could make non-binding recommendations.",
])
def test_sentences_about_the_past(model, sentence):
    assert model.past(sentence)


@pytest.mark.parametrize("sentence", [
    "You must contact a mediation adviser before you appeal.",
    "As part of a national trial that began in April 2018, the tribunal powers have been extended.",
    "The SEN and Disability Tribunal decides whether the council was right.",
    "Since 2014 you have needed a certificate to appeal.",
    "The Children and Families Act 2014 says the council must arrange mediation.",
    "The Special Educational Needs and Disabilities Information and Advice Service helps you in all cases.",
])
def test_sentences_about_today(model, sentence):
    assert not model.past(sentence)


@pytest.mark.parametrize("text,reason", [
    ("Do you have to go to mediation before you appeal?", "a question"),
    ("We think you probably have six weeks to appeal.", "hedged"),
    ("You must attend mediation before you can appeal to the", "cut off"),
    ("You must attend mediation before you can appeal.", None),
    ("You usually have two months to appeal.", None),  # frequency is not doubt
    ("Appeals", None),  # a heading is not cut off
])
def test_how_sure_a_sentence_is(model, text, reason):
    assert model.uncertain(text, 0, text) == reason


def _lint(tmp_path, text, name="page.txt"):
    page = tmp_path / name
    page.write_text(text, encoding="utf-8")
    (report,) = lint([page])
    return [(f.line, f.code, f.severity) for f in report.findings]


def test_a_superseded_name_in_history_or_as_another_name_is_right(tmp_path):
    got = _lint(tmp_path, "Statements of special educational needs were replaced by EHC plans from September 2014.\n"
                          "You may hear the Tribunal being called SENDIST.\n"
                          "Appeals go to the First-tier Tribunal (Special Educational Needs and Disability Tribunal).\n")
    assert [g for g in got if g[1] == "superseded-term"] == []


def test_a_superseded_name_in_the_present_tense_is_flagged(tmp_path):
    got = _lint(tmp_path, "Your child's statement will be reviewed at the annual review.\n"
                          "Contact SENDIST to register your appeal.\n"
                          "The SEN and Disability Tribunal decides whether the council was right.\n")
    assert [(line, sev) for line, code, sev in got if code == "superseded-term"] == [(1, "warning"), (2, "warning"), (3, "warning")]


def test_the_authoritys_duty_is_not_a_duty_on_the_family(tmp_path):
    got = _lint(tmp_path, "We must make mediation available to you if you ask for it.\n"
                          "The council must offer mediation if you want it.\n"
                          "You do not have to have mediation advice if your appeal is only about section I.\n")
    assert [g for g in got if g[2] in ("warning", "violation")] == []


def test_a_wrong_claim_is_a_violation_when_sure_and_an_info_when_not(tmp_path):
    sure = _lint(tmp_path, "You must attend mediation before you can appeal.\n", "sure.txt")
    assert (1, "mediation-compulsory", "violation") in sure
    for text in ("We think you probably have to attend mediation before appealing.\n",
                 "You must attend mediation before you can appeal to the\n"):
        got = _lint(tmp_path, text, "unsure.txt")
        assert (1, "mediation-compulsory", "info") in got, got
        assert not [g for g in got if g[2] in ("warning", "violation")], got


def test_an_old_rule_in_a_past_frame_is_not_todays_rule(tmp_path):
    got = _lint(tmp_path, "Before 2012 an independent appeal panel could order a school to reinstate a pupil.\n"
                          "Until 2014, you did not need a certificate to appeal to the Tribunal.\n")
    assert [g for g in got if g[2] in ("warning", "violation")] == []


def test_an_omission_on_one_partial_page_is_never_above_info(tmp_path):
    got = _lint(tmp_path, "This page covers mediation only.\n"
                          "You can ask for mediation with the council; it is voluntary.\n")
    assert all(sev == "info" for _l, code, sev in got if code.startswith("missing-")), got
