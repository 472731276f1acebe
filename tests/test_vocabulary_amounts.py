"""knowledge.vocabulary.amounts: dollar amounts, their role, format_usd."""

import math

import pytest
from hypothesis import assume, given, settings, strategies as st

from knowledge.vocabulary import Mention, amounts

HV, LB = amounts.HOME_VALUE, amounts.LOAN_BALANCE
FIRST, SECOND = amounts.FIRST_LIEN, amounts.SECOND_LIEN


def found(text):
    return [(m.value, m.role) for m in amounts.find(text)]


@pytest.mark.parametrize(
    "text,value",
    [
        ("$350,000", 350000), ("350,000", 350000), ("350000", 350000), ("$350000", 350000),
        ("350k", 350000), ("350K", 350000), ("350 k", 350000), ("$350k", 350000), ("$210k", 210000),
        ("$1.2 million", 1200000), ("1.2 million", 1200000), ("1.2m", 1200000), ("1.2M", 1200000),
        ("$1.2MM", 1200000), ("2.5 mil", 2500000), ("350 thousand", 350000), ("350 grand", 350000),
        ("three hundred fifty thousand", 350000), ("three hundred and fifty thousand dollars", 350000),
        ("Three Hundred Fifty Thousand", 350000), ("two hundred thousand", 200000),
        ("fifty-five thousand", 55000), ("a hundred thousand", 100000), ("one point two million", 1200000),
        ("half a million", 500000), ("a half million", 500000), ("a quarter million", 250000),
        ("quarter of a million", 250000), ("a million", 1000000), ("two and a half million", 2500000),
        ("a million and a half", 1500000), ("about 190000", 190000), ("~190k", 190000),
        ("$350,000.00", 350000), ("$1,234.56", 1234.56), ("350,000 dollars", 350000),
        ("350000 bucks", 350000), ("USD 5000", 5000), ("$500", 500), ("500 dollars", 500),
        ("five hundred dollars", 500), ("around 300k or so", 300000), ("300K+", 300000), (".5m", 500000),
        ("$0", 0),
    ],
)
def test_parse(text, value):
    assert amounts.parse(text) == value
    assert [m.value for m in amounts.find(text)] == [value]


@pytest.mark.parametrize(
    "text",
    ["", "   ", "hello", "k", "that's grand", "a million thanks", "a couple hundred thousand", "hundred thousand",
     "300k or 350k", "between 200k and 250k", "in 2021", "2021", "since 2019", "7.5%", "3 months", "six months",
     "two payments", "call 800-569-4287", "my 401k", "401(k)", "a 780 credit score", "thousands",
     "one million one million"],
)
def test_parse_none(text):
    assert amounts.parse(text) is None


def test_parse_takes_bare_numbers_in_a_short_answer_but_find_does_not():
    assert amounts.parse("350") == 350
    assert amounts.find("350") == []
    assert amounts.find("I'm 2 behind") == []


@pytest.mark.parametrize(
    "text,expected",
    [
        ("It's worth 240k", [(240000, HV)]),
        ("I owe 300k", [(300000, LB)]),
        ("I owe $300,000 on it", [(300000, LB)]),
        ("it's worth 200k, I owe 260k", [(200000, HV), (260000, LB)]),
        ("I owe 260k and it's only worth 200k", [(260000, LB), (200000, HV)]),
        ("my balance is 260,000 and the house is valued at 240k", [(260000, LB), (240000, HV)]),
        ("Zillow says 300k", [(300000, HV)]),
        ("zestimate is $310,000", [(310000, HV)]),
        ("it appraised at $310,000 last year", [(310000, HV)]),
        ("we could sell for maybe 250k", [(250000, HV)]),
        ("market value around 280k", [(280000, HV)]),
        ("payoff is 190000", [(190000, LB)]),
        ("the loan is 250k", [(250000, LB)]),
        ("a mortgage of 250k", [(250000, LB)]),
        ("principal balance of $212,345.67", [(212345.67, LB)]),
        ("260k left on the mortgage", [(260000, LB)]),
        ("I have a 300k mortgage", [(300000, LB)]),
        ("a 300k house", [(300000, HV)]),
        ("I owe 250k on the first and 50k on the heloc", [(250000, FIRST), (50000, SECOND)]),
        ("three hundred fifty thousand is what I owe", [(350000, LB)]),
        ("300k is what it's worth", [(300000, HV)]),
        ("about 190000", [(190000, None)]),
        # other money: no role
        ("I owe about $80k more than my house would sell for", [(80000, None)]),
        ("I'm 50k underwater", [(50000, None)]),
        ("we are upside down by 40k", [(40000, None)]),
        ("my payment is $2,100 a month", [(2100, None)]),
        ("I owe 2100 a month", [(2100, None)]),
        ("I bought it for 400k, now zillow says 300k", [(400000, None), (300000, HV)]),
        ("we paid 350k in 2006", [(350000, None)]),
        ("I make 60k a year", [(60000, None)]),
        ("I have 30k in savings", [(30000, None)]),
        ("student loan of 50k", [(50000, None)]),
        ("I owe 20k in credit card debt", [(20000, None)]),
        ("I have 40k in equity", [(40000, None)]),
        ("I have a 401k with 50k in it", [(50000, None)]),
        ("I make $5,000 a month and my mortgage is $2,400", [(5000, None), (2400, None)]),
        ("I only owe 8k", [(8000, LB)]),
        ("the house is worth $5,000", [(5000, None)]),
        ("value 240k owe 300k", [(240000, HV), (300000, LB)]),
        ("mortgage balance: $198k / value: $160k", [(198000, LB), (160000, HV)]),
        ("I owe 300,000 and the house appraised for 250,000", [(300000, LB), (250000, HV)]),
        ("we owe 300k but comps in our neighborhood are selling around 250k", [(300000, LB), (250000, HV)]),
        ("Our home was $500k when we bought it in 2007, now it's worth 350k", [(500000, None), (350000, HV)]),
        ("I owe a million on it", [(1000000, LB)]),
        ("it's worth a million, I owe half a million", [(1000000, HV), (500000, LB)]),
    ],
)
def test_roles(text, expected):
    assert found(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "in 2021 we bought the house", "since 2019", "I've been here since 2008.", "rates went to 7.5%",
        "7 percent", "3 months behind", "I missed 2 payments", "my score is 780", "FICO 720",
        "call 800-569-4287 or (800) 569-4287", "Tulsa, OK 74103", "I'm 45 years old", "2,400 sq ft",
        "on 5/2021", "at 10:30", "my 401k", "401(k) loan", "3m behind", "I have 2 kids", "k", "a grand idea",
        "thanks a million times", "a thousand questions",
        "Will I get a 1099-C?", "I got a 1099 from the bank", "form 1040", "a W-2 form", "HB-1-3555",
    ],
)
def test_not_amounts(text):
    assert amounts.find(text) == []


def test_mentions_point_into_the_text():
    text = "I'm in Texas, it's worth 200k, I owe 260k, 2 months behind"
    ms = amounts.find(text)
    assert all(isinstance(m, Mention) and text[m.start:m.end] == m.text for m in ms)
    assert [m.text for m in ms] == ["200k", "260k"]


@pytest.mark.parametrize(
    "x,s",
    [(350000, "$350,000"), (350000.0, "$350,000"), (0, "$0"), (5, "$5"), (1234.5, "$1,234.50"),
     (1234.567, "$1,234.57"), (-2000, "-$2,000"), (1_000_000, "$1,000,000"), (999.999, "$1,000")],
)
def test_format_usd(x, s):
    assert amounts.format_usd(x) == s


@pytest.mark.parametrize("bad", [math.nan, math.inf, -math.inf])
def test_format_usd_rejects_non_finite(bad):
    with pytest.raises(ValueError):
        amounts.format_usd(bad)


@settings(max_examples=500, deadline=None)
@given(st.integers(min_value=0, max_value=10**13))
def test_format_round_trip_integers(x):
    assert amounts.parse(amounts.format_usd(x)) == x
    assert [m.value for m in amounts.find(amounts.format_usd(x))] == [x]


@settings(max_examples=300, deadline=None)
@given(st.integers(min_value=0, max_value=10**11))
def test_format_round_trip_cents(cents):
    x = cents / 100
    assert amounts.parse(amounts.format_usd(x)) == pytest.approx(x, abs=0.001)


_ONES = "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen " \
        "sixteen seventeen eighteen nineteen".split()
_TENS = "_ _ twenty thirty forty fifty sixty seventy eighty ninety".split()


def _words(n):
    """1..999 in English words (independent of the code under test)."""
    parts = []
    if n >= 100:
        parts += [_ONES[n // 100], "hundred"]
        n %= 100
    if n >= 20:
        parts.append(_TENS[n // 10] + ("-" + _ONES[n % 10] if n % 10 else ""))
    elif n:
        parts.append(_ONES[n])
    return " ".join(parts)


@settings(max_examples=300, deadline=None)
@given(st.integers(min_value=1, max_value=999), st.integers(min_value=0, max_value=999),
       st.sampled_from(["thousand", "thousand dollars", "grand"]))
def test_number_words(thousands, rest, scale):
    text = f"{_words(thousands)} thousand {_words(rest)}".strip() if rest and scale == "thousand" \
        else f"{_words(thousands)} {scale}"
    expected = thousands * 1000 + (rest if rest and scale == "thousand" else 0)
    assert amounts.parse(text) == expected
    assert [m.value for m in amounts.find(f"I owe {text} on the house")] == [expected]
    assert found(f"I owe {text} on the house")[0][1] == LB


@settings(max_examples=200, deadline=None)
@given(st.integers(min_value=1, max_value=9999), st.sampled_from(["k", "K", "m", "M", " million", " thousand"]))
def test_scaled_numbers(n, suffix):
    assume(not (n in (401, 403, 457) and suffix.lower() == "k"))  # retirement accounts, see test_not_amounts
    scale = 1000 if suffix.strip().lower() in ("k", "thousand") else 1_000_000
    assert amounts.parse(f"{n}{suffix}") == n * scale
    assert amounts.parse(f"${n / 10:g}{suffix}") == pytest.approx(n / 10 * scale)


@settings(max_examples=400, deadline=None)
@given(st.text())
def test_random_text_never_crashes(text):
    ms = amounts.find(text)
    for m in ms:
        assert text[m.start:m.end] == m.text
        assert isinstance(m.value, float) and math.isfinite(m.value)  # "-1K" stays negative: the form re-asks
        assert m.role in (None,) + amounts.ROLES
        assert m.info is None or set(m.info) <= {"range", "implied"}
    assert all(a.end <= b.start for a, b in zip(ms, ms[1:]))
    v = amounts.parse(text)
    assert v is None or (isinstance(v, float) and math.isfinite(v))


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet="0123456789,.$kKmM ", max_size=30))
def test_number_like_text_never_crashes(text):
    amounts.find(text)
    amounts.parse(text)


def test_non_strings_and_huge_text():
    assert amounts.find(None) == [] and amounts.parse(None) is None and amounts.parse(350000) is None
    text = "worth 200k, owe 260k. " * 3000
    ms = amounts.find(text)
    assert len(ms) == 6000 and {m.role for m in ms} == {HV, LB}


@pytest.mark.parametrize("text,value", [("my house is worth -50000 dollars", -50000), ("minus 50k", -50000),
                                        ("negative 20k", -20000), ("-$2,000", -2000)])
def test_a_minus_sign_is_kept_so_the_form_can_reask(text, value):
    assert [m.value for m in amounts.find(text)] == [value]


@pytest.mark.parametrize("text", ["I owe 30-50k", "it's worth 200k - I owe 250k"])
def test_a_dash_between_numbers_is_not_a_minus(text):
    assert all(m.value > 0 for m in amounts.find(text))


def test_format_usd_handles_the_largest_floats():
    assert amounts.format_usd(1e308).startswith("$1")
    assert amounts.format_usd(2.999) == "$3"


# --- amounts the way people post them (issue 8) --------------------------------------------------

I = {"implied": "thousands"}


def R(low, high, implied=False):
    return {"range": [low, high], **(I if implied else {})}


def read(text):
    return [(m.value, m.role, m.info) for m in amounts.find(text)]


@pytest.mark.parametrize(
    "text,expected",
    [
        # thousands implied by the cue and the size
        ("we owe like 338 and zillow says maybe 276", [(338000, LB, I), (276000, HV, I)]),
        ("owe around 415 on the house, its a mess", [(415000, LB, I)]),
        ("worth maybe 250 at most honestly", [(250000, HV, I)]),
        ("payoff is 212 and change", [(212000, LB, I)]),
        ("i think its worth like 180 and we owe 240", [(180000, HV, I), (240000, LB, I)]),
        ("we're in cali, house worth 620 owe 700", [(620000, HV, I), (700000, LB, I)]),
        ("bought for 450 in 2006, owes 380 now, worth like 300", [(380000, LB, I), (300000, HV, I)]),
        ("fico 580 and we owe 250", [(250000, LB, I)]),
        ("3 months behind and owe 212", [(212000, LB, I)]),
        ("zestimate 276ish", [(276000, HV, I)]),
        ("owe 338.5 on it", [(338500, LB, I)]),
        ("house appraised for 310 last year", [(310000, HV, I)]),
        ("we have 2 kids and owe 250", [(250000, LB, I)]),
        ("we owe 415,000 and it might sell for 380 if we're lucky", [(415000, LB, None), (380000, HV, I)]),
        ("home value around 350, mortgage balance 410", [(350000, HV, I), (410000, LB, I)]),
        ("we owe 1.1 mil and it's worth 900", [(1100000, LB, None), (900000, HV, I)]),
        ("realtor said we could list it at two fifty", [(250000, HV, I)]),
        ("we still owe three twenty five on it", [(325000, LB, I)]),
        ("Zillow: 276. Owe: 338", [(276000, HV, I), (338000, LB, I)]),
        # words and "mil"
        ("payoff is like 1.1 mil", [(1100000, LB, None)]),
        ("zillow has it at 1.2 mill lol", [(1200000, HV, None)]),
        ("we still owe about half a million on it", [(500000, LB, None)]),
        ("owe a quarter mil still", [(250000, LB, None)]),
        ("Redfin estimate 1.1m, we owe 1.3m", [(1100000, HV, None), (1300000, LB, None)]),
        ("its worth maybe half a mill", [(500000, HV, None)]),
        # ranges: the middle, the range kept
        ("comps in our area are in the low 300s", [(315000, HV, R(300000, 330000))]),
        ("zillow says mid 400s but idk", [(450000, HV, R(430000, 470000))]),
        ("house is prob worth high 200s now", [(285000, HV, R(270000, 300000))]),
        ("neighbors sold in the upper 500s last spring", [(585000, HV, R(570000, 600000))]),
        ("its worth somewhere in the 300s", [(350000, HV, R(300000, 400000))]),
        ("we owe in the low 300s", [(315000, LB, R(300000, 330000))]),
        ("we could sell for 300-350k maybe", [(325000, HV, R(300000, 350000))]),
        ("appraisal came in 300 to 350k", [(325000, HV, R(300000, 350000))]),
        ("the agent thinks between 300 and 350 thousand", [(325000, HV, R(300000, 350000))]),
        ("comps say between $300,000 and $350,000", [(325000, HV, R(300000, 350000))]),
        ("worth maybe 3-400k tops", [(350000, HV, R(300000, 400000))]),
        ("zillow says somewhere around 280-300", [(290000, HV, R(280000, 300000, implied=True))]),
        ("owe 280k-300k", [(290000, LB, R(280000, 300000))]),
        ("we owe 290000-300000 give or take", [(295000, LB, R(290000, 300000))]),
        ("I owe 30-50k on the heloc", [(40000, SECOND, R(30000, 50000))]),
        ("the house might go for 1-1.2 mil", [(1100000, HV, R(1000000, 1200000))]),
        # two liens
        ("we owe 550k on the first plus a 150k HELOC", [(550000, FIRST, None), (150000, SECOND, None)]),
        ("first mortgage balance is 410k", [(410000, FIRST, None)]),
        ("we also took a second mortgage of 60k", [(60000, SECOND, None)]),
        ("heloc is maxed at 80k", [(80000, SECOND, None)]),
        ("we owe 300 on the first and 45 on the second", [(300000, FIRST, I), (45000, SECOND, I)]),
        ("we owe 300k on the first mortgage and a 60k second", [(300000, FIRST, None), (60000, SECOND, None)]),
        ("the balance on the heloc is 45", [(45000, SECOND, I)]),
        ("took out a home equity loan for 75k back in 2015", [(75000, SECOND, None)]),
        ("payoff on the 2nd is 38k", [(38000, SECOND, None)]),
        ("the 1st mortgage is at 290k and theres a piggyback of 70k", [(290000, FIRST, None), (70000, SECOND, None)]),
        ("we owe 300k total, 250 on the first and 50 on the heloc",
         [(300000, LB, None), (250000, FIRST, I), (50000, SECOND, I)]),
        # the total, and a plain mortgage, stay loan_balance
        ("I owe 300k", [(300000, LB, None)]),
        ("i owe 410k worth maybe 350k", [(410000, LB, None), (350000, HV, None)]),
        ("a mortgage of 300k on a 250k house", [(300000, LB, None), (250000, HV, None)]),
        ("just the one mortgage, about 300k left on it", [(300000, LB, None)]),
        ("I have a second home worth 300k", [(300000, HV, None)]),
    ],
)
def test_forum_amounts(text, expected):
    assert read(text) == expected


@pytest.mark.parametrize(
    "text,expected",
    [
        # never thousands: payments, scores, years, percentages, months, differences, weak cues
        ("payment is 1850 a month", [(1850, None, None)]),
        ("our payment is like 850", []),
        ("my mortgage is 900", []),
        ("the heloc is 300 a month", []),
        ("our first is 300 a month and the second is 45 a month", []),
        ("our payment on the first is 950 and the heloc is 210", []),
        ("the first is 1,400 and the second is 350", [(1400, None, None)]),
        ("the heloc is 250", []),
        ("the mortgage is 400", []),
        ("my credit score is in the mid 600s", []),
        ("fico is like 580", []),
        ("credit 620ish", []),
        ("the market is down 20", []),
        ("house value dropped 30", []),
        ("we're 80 underwater", []),
        ("i owe 80 more than its worth", []),
        ("upside down by about 40", []),
        ("value peaked in 99", []),
        ("we've owed since 98", []),
        ("rate is 7.5 on the loan", []),
        ("we owe 20 percent more than it's worth", []),
        ("owe for 24 months now", []),
        ("the house is 30 minutes from my job", []),
        ("we're both 45 and tired", []),
        ("we make 85 a year", []),
        ("hoa is 300", []),
        ("we put 50 down in 2006", []),
        ("bought it for 450 back then", []),
        ("it went from 400 to 300k", [(300000, None, None)]),
        ("worth 2", []),
        ("we owe 15", []),
    ],
)
def test_not_thousands(text, expected):
    assert read(text) == expected


@pytest.mark.parametrize("n", [20, 21, 99.5, 338, 999])
def test_implied_thousands_inside_the_bounds(n):
    assert amounts.implied_thousands(n) == n * 1000


@pytest.mark.parametrize("n", [0, 5, 19.9, 1000, 1850, 350000, -338, math.nan, math.inf, None, "338", True])
def test_implied_thousands_outside_the_bounds(n):
    assert amounts.implied_thousands(n) is None


@settings(max_examples=300, deadline=None)
@given(st.integers(min_value=1, max_value=20000))
def test_a_sentence_implies_thousands_exactly_where_the_helper_does(n):
    assume(not 1900 <= n <= 2099 and str(n) not in ("1098", "1099", "1040", "4506"))
    implied = amounts.implied_thousands(n)
    if implied is not None:
        expected = [(implied, LB, I)]
    elif n >= 1000:
        expected = [(n, LB, None)]
    else:
        expected = []
    assert read(f"we owe like {n} on it") == expected


@pytest.mark.parametrize(
    "text",
    ["low 300s", "between 200k and 250k", "300-350k", "3-400k", "the 300s", "around 280-300"],
)
def test_parse_leaves_ranges_to_find(text):
    assert amounts.parse(text) is None


@pytest.mark.parametrize("text,value", [("338", 338), ("two fifty", 250), ("like 1.1 mil", 1100000),
                                         ("a quarter mil", 250000), ("half a mill", 500000),
                                         ("twelve hundred thousand", 1200000), ("two fifty k", 250000),
                                         ("three hundred and fourty thousand", 340000)])
def test_parse_short_answers(text, value):
    assert amounts.parse(text) == value


@pytest.mark.parametrize(
    "text",
    ["1-800-569-4287", "2019-2021", "3-4 months behind", "score 620-650", "500-600 a month",
     "the 1900s", "back in the 90s"],
)
def test_ranges_that_are_not_money(text):
    assert amounts.find(text) == []


def test_a_mention_with_info_stays_hashable_and_frozen():
    m = amounts.find("we owe like 338")[0]
    assert m.info == I and hash(m) == hash(Mention(m.start, m.end, m.text, m.value, m.role))
    with pytest.raises(AttributeError):
        m.info = None


def test_the_extractor_says_how_an_amount_was_read():
    from bot.nlu.entity_normalizer import WalkawayEntityExtractor

    entities = WalkawayEntityExtractor({"entities": ["amount"]}).extract(
        "we owe like 338 and zillow says low 300s, plus a 45k heloc")
    assert [(e["value"], e.get("role"), e.get("additional_info")) for e in entities] == [
        (338000, FIRST, {"implied": "thousands"}),  # beside a heloc, a balance not said to be the total
        (315000, HV, {"range": [300000, 330000]}),
        (45000, SECOND, None),
    ]
    assert all(type(x) is int for x in entities[1]["additional_info"]["range"])


# --- amounts read together: liens said as a pair, parts of a total, corrections (issue 8) ---------


@pytest.mark.parametrize(
    "text,expected",
    [
        # a first and a second lien in one message are balances: thousands implied
        ("the 1st is 310 and the heloc is 62", [(310000, FIRST, I), (62000, SECOND, I)]),
        ("our first is around 340 these days and the second is 58", [(340000, FIRST, I), (58000, SECOND, I)]),
        ("primary mortgage 265, 2nd 55, both current", [(265000, FIRST, I), (55000, SECOND, I)]),
        ("first note 150, second 35 from the 80/20", [(150000, FIRST, I), (35000, SECOND, I)]),
        ("410k first, 90k heloc, ugh", [(410000, FIRST, None), (90000, SECOND, None)]),
        ("the first is maybe 205 and we opened a heloc for 40 in 2019", [(205000, FIRST, I), (40000, SECOND, I)]),
        ("still owe 290 on the first plus 35 on a home equity line", [(290000, FIRST, I), (35000, SECOND, I)]),
        ("first mortgage sits at 275k and theres a heloc with roughly 30 left",
         [(275000, FIRST, None), (30000, SECOND, I)]),
        ("we're current on payments, the first is 230 and the heloc is 85", [(230000, FIRST, I), (85000, SECOND, I)]),
        # "two loans" and then two figures: the first and the second lien
        ("we got 2 loans, 385 and 70, house is worth maybe 400", [(385000, FIRST, I), (70000, SECOND, I),
                                                                   (400000, HV, I)]),
        ("two mortgages: 240k and 60k", [(240000, FIRST, None), (60000, SECOND, None)]),
        ("two mortgages, 1800 and 450", [(1800, None, None)]),
        # the part of a total
        ("we owe about 420 all in, 70 of that is the heloc", [(420000, LB, I), (70000, SECOND, I)]),
        ("total owed is 365 (first and heloc together), the heloc alone is 45",
         [(365000, LB, I), (45000, SECOND, I)]),
        ("owe 610 combined between the first and the heloc, heloc is 140 of it",
         [(610000, LB, I), (140000, SECOND, I)]),
        ("owe 300 total, the heloc is 450", [(300000, LB, I)]),
        ("we owe 300 total, 45 of it is credit cards", [(300000, LB, I)]),
        # a negated lien gives its role to nothing
        ("no second mortgage, place maybe 260", [(260000, HV, I)]),
        ("we don't have a heloc, 250k", [(250000, None, None)]),
        ("no heloc or second loan, condo maybe 190", [(190000, HV, I)]),
        ("owe 330k on the first, never had a heloc, townhouse prob 300k", [(330000, FIRST, None), (300000, HV, None)]),
        ("no heloc or 2nd mortgage, about 210k left", [(210000, LB, None)]),
        # how people name the value and the balance
        ("house prolly 330, owe 360", [(330000, HV, I), (360000, LB, I)]),
        ("home probably around 410 now", [(410000, HV, I)]),
        ("the mortage is 188 and change", [(188000, LB, I)]),
        ("morgage is 215ish, zillow 190", [(215000, LB, I), (190000, HV, I)]),
        ("got a 75k mortgage on it still", [(75000, LB, None)]),
        ("we owed 330 as of last month", [(330000, LB, I)]),
        ("the mortgage on the house is 290k", [(290000, LB, None)]),
        ("the loan on the condo is 310k, it's worth 280k", [(310000, LB, None), (280000, HV, None)]),
        ("owe 205 its worth maybe 180", [(205000, LB, I), (180000, HV, I)]),
        ("its worth maybe a third of what we paid, maybe 160", [(160000, HV, I)]),
        ("worth less than what we owe, maybe 210", [(210000, HV, I)]),
        # corrections: the later figure takes the role of the one it corrects
        ("zillow says 350, well prob more like 330", [(350000, HV, I), (330000, HV, I)]),
        ("worth 500?? actually 480", [(500000, HV, I), (480000, HV, I)]),
        ("we owe 403k, oops i meant 430k", [(403000, LB, None), (430000, LB, None)]),
        ("owe 250, maybe 20 to the irs", [(250000, LB, I)]),
        ("we owe 300 and about 20 in cc debt", [(300000, LB, I)]),
        ("borrowed against my 401k, owe 230 on the house", [(230000, LB, I)]),
        # prices said in words
        ("we still owe about three forty and it'd sell for maybe two ninety", [(340000, LB, I), (290000, HV, I)]),
        ("it's worth three fifty, well maybe three twenty", [(350000, HV, I), (320000, HV, I)]),
    ],
)
def test_amounts_read_together(text, expected):
    assert read(text) == expected


@pytest.mark.parametrize("n,expected", [(20, 20000), (142, 142000), (399, 399000), (400, None), (900, None)])
def test_a_mortgage_said_below_the_payment_floor_is_a_balance(n, expected):
    assert n < amounts.amount_roles.PAYMENT_FLOOR or expected is None
    assert [m.value for m in amounts.find(f"the mortgage is {n}")] == ([expected] if expected else [])


def _facts(text):
    from bot.nlu.entity_normalizer import WalkawayEntityExtractor
    from knowledge.scenario_facts import facts_from_entities

    return facts_from_entities(WalkawayEntityExtractor({"entities": ["amount"]}).extract(text))


@pytest.mark.parametrize(
    "text,facts",
    [
        ("the 1st is 310 and the heloc is 62, zillow 330", {"home_value": 330000, "loan_balance": 372000,
                                                             "second_lien_balance": 62000}),
        ("we got 2 loans, 385 and 70", {"loan_balance": 455000, "second_lien_balance": 70000}),
        ("we owe about 420 all in, 70 of that is the heloc", {"loan_balance": 420000, "second_lien_balance": 70000}),
        ("zillow says 350, well prob more like 330", {"home_value": 330000}),
        ("we owe 403k, oops i meant 430k", {"loan_balance": 430000}),
        ("we still owe about three forty and it'd sell for maybe two ninety",
         {"loan_balance": 340000, "home_value": 290000}),
    ],
)
def test_the_facts_of_amounts_read_together(text, facts):
    assert _facts(text) == facts


# --- beside a second lien, a balance not said to be the total is the first lien ---------------------


@pytest.mark.parametrize(
    "text,expected",
    [
        ("still owe like 265 on the mortgage and a 40k heloc on top", [(265000, FIRST, I), (40000, SECOND, None)]),
        ("owe 198 on our house + 30 on the home equity line", [(198000, FIRST, I), (30000, SECOND, I)]),
        ("we owe 410k. theres also a 2nd mortgage of 55k", [(410000, FIRST, None), (55000, SECOND, None)]),
        ("mortgage payoff is 232,000 and the heloc is 38k", [(232000, FIRST, None), (38000, SECOND, None)]),
        ("morgage is 175 and the heloc 25", [(175000, FIRST, I), (25000, SECOND, I)]),
        ("heloc balance is 52k and we still owe 318k on the mortgage", [(52000, SECOND, None), (318000, FIRST, None)]),
        # a total stays the total, and a part stays a part of it
        ("all in we owe about 380, the heloc is 70 of that", [(380000, LB, I), (70000, SECOND, I)]),
        ("we owe 405 between both loans, heloc being 55", [(405000, LB, I), (55000, SECOND, I)]),
        ("owe 330 including the heloc, which is like 40", [(330000, LB, I), (40000, SECOND, I)]),
        ("we owe 312, the heloc by itself is 48", [(312000, LB, I), (48000, SECOND, I)]),
        # a first lien named: a figure after both is their total
        ("first is 250, heloc 60, so all told we owe 310", [(250000, FIRST, I), (60000, SECOND, I), (310000, LB, I)]),
        # a heloc figure as big as the balance, with only a weak cue, may be its payment: no lien pair
        ("we owe 290 and the heloc is 250", [(290000, LB, I)]),
        ("my mortgage is 1100 and the heloc is 300", [(1100, None, None)]),
    ],
)
def test_a_balance_beside_a_second_lien_is_the_first(text, expected):
    assert read(text) == expected


@pytest.mark.parametrize(
    "text,facts",
    [
        ("still owe like 265 on the mortgage and a 40k heloc on top", {"loan_balance": 305000,
                                                                       "second_lien_balance": 40000}),
        ("we owe 410k. theres also a 2nd mortgage of 55k", {"loan_balance": 465000, "second_lien_balance": 55000}),
        ("all in we owe about 380, the heloc is 70 of that", {"loan_balance": 380000, "second_lien_balance": 70000}),
        ("owe 350 altogether, 300 on the mortgage and 50 on a heloc", {"loan_balance": 350000,
                                                                       "second_lien_balance": 50000}),
    ],
)
def test_the_total_owed_adds_the_first_lien_to_the_second(text, facts):
    assert _facts(text) == facts


def test_a_correction_is_said_back_like_any_amount():
    from bot.nlu.entity_normalizer import WalkawayEntityExtractor

    entities = WalkawayEntityExtractor({"entities": ["amount"]}).extract("worth 500?? actually 480")
    assert [(e["value"], e["role"], e.get("additional_info")) for e in entities] == [
        (500000, HV, I), (480000, HV, I)]


@pytest.mark.parametrize(
    "text,value,info",
    [
        ("prob 310-330", 320000, {"range": [310000, 330000], "implied": "thousands"}),
        ("maybe 300 to 325?", 312500, {"range": [300000, 325000], "implied": "thousands"}),
        ("low 400s", 415000, {"range": [400000, 430000]}),
        ("somewhere between 275k and 300k", 287500, {"range": [275000, 300000]}),
        ("338", 338000, I),
        ("like two fifty", 250000, I),
        ("$338", 338, None),
        ("1.1 mil", 1100000, None),
        ("410,000", 410000, None),
    ],
)
def test_answer_reads_a_bare_answer_the_way_the_question_means_it(text, value, info):
    said = amounts.answer(text)
    assert (said.value, said.role, said.info) == (value, None, info)
    assert text[said.start:said.end] == said.text


@pytest.mark.parametrize("text", ["", "idk", "300k or 350k", "300-350k or 400k", None, "no clue, sorry"])
def test_answer_is_none_without_one_amount(text):
    assert amounts.answer(text) is None


@pytest.mark.parametrize("asked", ["home_value", "loan_balance"])
def test_a_bare_range_answer_gives_its_middle(asked):
    from knowledge.scenario_facts import answer_facts

    assert answer_facts("prob 310-330", [], asked) == {asked: 320000}
    assert answer_facts("338", [], asked) == {asked: 338000}
