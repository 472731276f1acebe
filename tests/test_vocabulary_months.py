"""knowledge.vocabulary.months: how many months behind."""

import pytest
from hypothesis import given, settings, strategies as st

from knowledge.vocabulary import Mention, months

WORDS = "zero one two three four five six seven eight nine ten eleven twelve".split()


@pytest.mark.parametrize(
    "text,value",
    [
        ("3 months behind", 3), ("I'm 3 months behind", 3), ("three months late", 3), ("2 months past due", 2),
        ("4 months in arrears", 4), ("behind 3 months", 3), ("behind by about 3 months", 3),
        ("I am behind on my mortgage 4 months", 4), ("3 mos behind", 3), ("3mo behind", 3),
        ("5 mths late", 5), ("missed two payments", 2), ("I missed a payment", 1), ("missed one payment", 1),
        ("I missed my last 3 payments", 3), ("skipped 2 mortgage payments", 2), ("2 payments behind", 2),
        ("behind 2 payments", 2), ("haven't made 3 payments", 3), ("haven't paid in 6 months", 6),
        ("I haven't paid the mortgage for six months", 6), ("I stopped paying 3 months ago", 3),
        ("6 months without paying", 6), ("no payments for 4 months", 4), ("a month behind", 1),
        ("one month late", 1), ("a year behind", 12), ("two years behind", 24), ("over a year behind", 12),
        ("about 3 months behind", 3), ("more than 3 months behind", 3), ("twelve months behind", 12),
        ("eighteen months behind", 18), ("6 full months behind", 6), ("six-month behind", 6),
        ("six months", 6), ("about 3 months", 3), ("3 months now", 3), ("It's been 5 months", 5),
        ("I lost my job 6 months ago and I am 2 months behind", 2),
        ("I am 3 months behind on my 300k mortgage", 3),
        ("I'm not working, 3 months behind", 3),
    ],
)
def test_months(text, value):
    assert months.parse(text) == value
    ms = months.find(text)
    assert [m.value for m in ms] == [value]
    assert all(isinstance(m, Mention) and text[m.start:m.end] == m.text for m in ms)


@pytest.mark.parametrize(
    "text",
    [
        "I lost my job 6 months ago", "we bought it two years ago", "in 3 months", "in 3 months I'll be behind",
        "I am not behind, bought it 6 months ago", "I'm not 3 months behind", "I'm not even 2 months behind",
        "Haven't missed a payment yet", "I have never missed a payment", "didn't skip a payment",
        "a few months behind", "several months behind", "3-4 months behind", "3 or 4 months behind",
        "3 to 4 months behind", "a month and a half behind", "I have had 3 late payments",
        "I've been paying for 10 years and now I'm behind", "my payment is due every month",
        "I make a payment every month", "haven't paid since March", "I've lived here 6 months",
        "the loan is 30 years", "a 6 month forbearance", "", "behind", "months",
    ],
)
def test_not_months(text):
    assert months.find(text) == []
    assert months.parse(text) is None


@pytest.mark.parametrize(
    "text,value",
    [
        # days late, in whole 30-day months
        ("mortgage is 30 days late", 1), ("we're now like 120 days past due on it", 4),
        ("loan servicer says im 90-day delinquent", 3), ("pretty sure we're 60 days behind at this point", 2),
        ("over 180 days behind, foreclosure notice came", 6),
        # a couple = two
        ("we fell a couple months behind after the layoff", 2), ("missed a couple of payments in the spring", 2),
        ("hubby skipped a couple mortgage payments", 2), ("couple months behind rn", 2),
        # the last payment, last month's payment
        ("i missed last months payment, the tenant bailed", 1), ("couldnt make the last mortgage payment", 1),
        ("didn't pay last month's mortgage bc of the hospital bills", 1), ("skipped my most recent payment", 1),
        # "haven't made a payment" is no payment: the time frame counts
        ("havent made a single payment in 4 months", 4), ("we have not paid a payment for 5 months", 5),
    ],
)
def test_named_rules(text, value):
    assert [m.value for m in months.find(text)] == [value]
    assert months.parse(text) == value


@pytest.mark.parametrize(
    "text",
    [
        "havent made a payment since february", "we haven't paid a payment since the divorce",
        "hasnt made one payment since last fall", "45 days late", "i had a 30 day late on my credit in 2019",
        "two 30-day lates on my report", "we have 30 days to move out", "the notice gave us 90 days",
        "we refinanced a couple years back", "a couple months ago my hours got cut",
        "never missed last month's payment or any other", "I didn't miss the last payment",
        "a couple of payments were late but we caught up? no, not behind",
    ],
)
def test_named_rules_do_not_overreach(text):
    assert months.find(text) == []


@pytest.mark.parametrize(
    "text,value",
    [("3", 3), ("three", 3), (" 12 ", 12), ("about 4", 4), ("none", 0), ("zero", 0), ("0", 0), ("maybe 2.", 2)],
)
def test_parse_bare_answers(text, value):
    assert months.parse(text) == value


def test_bare_numbers_are_not_months_in_find():
    assert months.find("3") == []


@pytest.mark.parametrize("n", range(1, 13))
def test_word_and_digit_counts(n):
    assert months.parse(f"{WORDS[n]} months behind") == n
    assert months.parse(f"missed {n} payments") == n
    assert months.find(f"I'm {n} months behind on the mortgage")[0].value == n


def test_two_different_counts_are_unclear():
    assert months.parse("I missed 2 payments, well 3 months behind now") is None


@settings(max_examples=400, deadline=None)
@given(st.text())
def test_random_text_never_crashes(text):
    ms = months.find(text)
    for m in ms:
        assert text[m.start:m.end] == m.text and isinstance(m.value, int) and 0 <= m.value <= months.MAX_MONTHS
    v = months.parse(text)
    assert v is None or (isinstance(v, int) and v >= 0)


@settings(max_examples=200, deadline=None)
@given(st.integers(min_value=0, max_value=months.MAX_MONTHS))
def test_any_count_round_trips(n):
    assert months.parse(f"{n} months behind") == n
    assert months.parse(str(n)) == (n if n < 1000 else None)


def test_non_strings_and_huge_text():
    assert months.find(None) == [] and months.parse(None) is None and months.parse(3) is None
    assert len(months.find("I'm 3 months behind. " * 4000)) == 4000
    assert months.find("x" * months.MAX_TEXT + " 3 months behind") == []  # only the start is read
