"""knowledge.vocabulary.alternatives: the options the user names -> contract keys."""

import pytest
from hypothesis import given, settings, strategies as st

from knowledge.vocabulary import Mention, alternatives

CONTRACT_KEYS = {"refinance", "loan_modification", "forbearance", "repayment_plan", "short_sale", "deed_in_lieu",
                 "bankruptcy", "foreclosure"}


def keys(text):
    return [m.value for m in alternatives.find(text)]


def test_keys_are_the_contract():
    assert set(alternatives.KEYS) == CONTRACT_KEYS and len(alternatives.KEYS) == 8


@pytest.mark.parametrize(
    "phrase,key",
    [
        ("short sale", "short_sale"), ("Short Sale", "short_sale"), ("short-sale", "short_sale"),
        ("shortsale", "short_sale"), ("short sell", "short_sale"), ("short selling", "short_sale"),
        ("short payoff", "short_sale"), ("pre-foreclosure sale", "short_sale"),
        ("deed in lieu", "deed_in_lieu"), ("deed-in-lieu", "deed_in_lieu"), ("Deed in Lieu of Foreclosure", "deed_in_lieu"),
        ("deed in leiu", "deed_in_lieu"), ("DIL", "deed_in_lieu"), ("mortgage release", "deed_in_lieu"),
        ("give the deed back to the bank", "deed_in_lieu"),
        ("a mod", "loan_modification"), ("loan mod", "loan_modification"), ("loan modification", "loan_modification"),
        ("mortgage modification", "loan_modification"), ("modification", "loan_modification"),
        ("modify my loan", "loan_modification"), ("trial period plan", "loan_modification"),
        ("HAMP", "loan_modification"), ("flex mod", "loan_modification"), ("mod application", "loan_modification"),
        ("forbearance", "forbearance"), ("forebearance", "forbearance"), ("forbearence", "forbearance"),
        ("pause my payments", "forbearance"),
        ("repayment plan", "repayment_plan"), ("payment plan", "repayment_plan"), ("re-payment plan", "repayment_plan"),
        ("catch-up plan", "repayment_plan"),
        ("refi", "refinance"), ("refinance", "refinance"), ("refinancing", "refinance"), ("re-fi", "refinance"),
        ("refinanced", "refinance"), ("cash-out refi", "refinance"), ("HARP", "refinance"),
        ("bankruptcy", "bankruptcy"), ("bankrupcy", "bankruptcy"), ("go bankrupt", "bankruptcy"),
        ("chapter 7", "bankruptcy"), ("Chapter 13", "bankruptcy"), ("ch. 7", "bankruptcy"), ("ch7", "bankruptcy"),
        ("chapter seven", "bankruptcy"), ("file BK", "bankruptcy"),
        ("foreclosure", "foreclosure"), ("forclosure", "foreclosure"), ("let it foreclose", "foreclosure"),
        ("let the house go to foreclosure", "foreclosure"), ("walking away", "foreclosure"),
        ("walk away", "foreclosure"), ("walked away", "foreclosure"), ("strategic default", "foreclosure"),
        ("jingle mail", "foreclosure"), ("mail the keys back", "foreclosure"), ("hand the keys to the bank", "foreclosure"),
    ],
)
@pytest.mark.parametrize("frame", ["{p}", "what about {p}?", "I'm thinking about {p} because I'm underwater",
                                   "Is {p} better for my credit"])
def test_phrases(phrase, key, frame):
    text = frame.format(p=phrase)
    found = alternatives.find(text)
    assert [m.value for m in found] == [key], text
    assert isinstance(found[0], Mention) and text[found[0].start:found[0].end] == found[0].text


@pytest.mark.parametrize(
    "text,expected",
    [
        ("short sale vs deed in lieu?", ["short_sale", "deed_in_lieu"]),
        ("Is a short sale better than just letting it foreclose?", ["short_sale", "foreclosure"]),
        ("deed in lieu of foreclosure", ["deed_in_lieu"]),
        ("I want to refinance or modify my loan", ["refinance", "loan_modification"]),
        ("should I do a loan mod, forbearance or file chapter 13?", ["loan_modification", "forbearance", "bankruptcy"]),
        ("compare refi, repayment plan and walking away", ["refinance", "repayment_plan", "foreclosure"]),
    ],
)
def test_several(text, expected):
    assert keys(text) == expected


@pytest.mark.parametrize(
    "text",
    ["my DIL lives with us", "I want to talk to a moderator", "mode", "modern house", "I owe 300k",
     "dil", "refill my prescription", "refine the search", "I'm short on cash", "the sale of my car",
     "I walked to the bank", "", "hello"],
)
def test_not_alternatives(text):
    assert alternatives.find(text) == []


def test_normalize():
    assert alternatives.normalize("a mod") == "loan_modification"
    assert alternatives.normalize("short sale or DIL") is None
    assert alternatives.normalize("nothing") is None


@settings(max_examples=400, deadline=None)
@given(st.text())
def test_random_text_never_crashes(text):
    found = alternatives.find(text)
    for m in found:
        assert text[m.start:m.end] == m.text and m.value in CONTRACT_KEYS
    assert all(a.end <= b.start for a, b in zip(found, found[1:]))


def test_non_strings_and_huge_text():
    assert alternatives.find(None) == [] and alternatives.normalize(None) is None
    assert len(alternatives.find("short sale or a loan mod? " * 3000)) == 6000
