"""knowledge.vocabulary.states: names, codes, variants, ambiguity of codes that are English words."""

import pytest
from hypothesis import given, settings, strategies as st

from knowledge.vocabulary import Mention, states

NAMES = sorted(states.STATES.items())  # (code, name)

# Sentences with the state in different positions; {s} is replaced by the state's spelling.
FRAMES = [
    "{s}",
    "{s}.",
    "I live in {s}.",
    "{s} is where my house is",
    "We moved to {s} in 2019 and bought a house there",
    "what are the foreclosure laws in {s}?",
    "my condo in {s}, which is underwater by 40k",
    "is {s} a recourse state",
    "I'm from {s}",
]

VARIANTS = {
    # the brief's list and more
    "Cali": "CA", "cali": "CA", "Calif.": "CA", "calif": "CA", "SoCal": "CA",
    "N. Carolina": "NC", "N Carolina": "NC", "n. carolina": "NC", "No. Carolina": "NC", "N.C.": "NC",
    "S. Carolina": "SC", "S.C.": "SC", "N. Dakota": "ND", "S. Dakota": "SD",
    "Washington DC": "DC", "Washington, D.C.": "DC", "washington dc": "DC", "D.C.": "DC",
    "District of Columbia": "DC", "Tenn.": "TN", "Tenn": "TN", "tenn": "TN", "Pa.": "PA",
    "Penna.": "PA", "Pennsylvannia": "PA", "Mass.": "MA", "Massachusets": "MA", "Fla.": "FL",
    "Okla.": "OK", "Ariz.": "AZ", "Colo.": "CO", "Conn.": "CT", "Minn.": "MN", "Mich.": "MI",
    "Wis.": "WI", "Wisc.": "WI", "Wyo.": "WY", "Nev.": "NV", "Neb.": "NE", "Tex.": "TX",
    "W. Va.": "WV", "W.Va.": "WV", "W. Virginia": "WV", "West Virgina": "WV", "Virgina": "VA",
    "Tennesee": "TN", "Mississipi": "MS", "Conneticut": "CT", "Hawai'i": "HI", "Hawai\u2019i": "HI",
    "N.Y.": "NY", "NYC": "NY", "New York City": "NY", "N.J.": "NJ", "N.M.": "NM", "R.I.": "RI",
    "Washington State": "WA", "Wash.": "WA", "Ky.": "KY", "La.": "LA", "Md.": "MD", "Ga.": "GA",
    "Ill.": "IL", "Ind.": "IN", "Kan.": "KS", "Mo.": "MO", "Mont.": "MT", "Miss.": "MS",
    "Ore.": "OR", "Vt.": "VT", "Va.": "VA", "Ala.": "AL", "Ark.": "AR", "Del.": "DE",
}

# Word-like abbreviations: a state as a whole answer and after "in"/"from" when capitalized.
WORD_VARIANTS = {"Mass": "MA", "Penn": "PA", "Jersey": "NJ", "Tex": "TX", "Conn": "CT", "Wash": "WA"}


def values(text):
    return [m.value for m in states.find(text)]


def test_fifty_one_jurisdictions():
    assert len(states.STATES) == 51
    assert states.STATES["DC"] == "District of Columbia"
    assert all(len(c) == 2 and c.isupper() for c in states.STATES)
    assert states.name("TX") == "Texas" and states.name("dc") == "District of Columbia"
    with pytest.raises(KeyError):
        states.name("XX")


@pytest.mark.parametrize("code,name", NAMES)
@pytest.mark.parametrize("case", [str, str.lower, str.upper, str.title])
def test_every_name_normalizes(code, name, case):
    assert states.normalize(case(name)) == code


@pytest.mark.parametrize("code,name", NAMES)
@pytest.mark.parametrize("frame", FRAMES)
def test_every_name_found_in_sentences(code, name, frame):
    text = frame.format(s=name)
    found = states.find(text)
    assert [m.value for m in found] == [code], text
    m = found[0]
    assert isinstance(m, Mention)
    assert text[m.start:m.end] == m.text and m.text.lower() == name.lower()


@pytest.mark.parametrize("code,name", NAMES)
def test_every_lower_case_name_found(code, name):
    assert values(f"i live in {name.lower()} and i owe 300k") == [code]


@pytest.mark.parametrize("code", sorted(states.STATES))
def test_every_code_normalizes_in_upper_case(code):
    assert states.normalize(code) == code
    assert states.normalize(f" {code}. ") == code


@pytest.mark.parametrize("code", sorted(states.STATES))
def test_every_lower_case_code_normalizes_except_interjections(code):
    expected = None if code.lower() in states.INTERJECTIONS else code
    assert states.normalize(code.lower()) == expected


@pytest.mark.parametrize("code", sorted(states.STATES))
@pytest.mark.parametrize(
    "frame",
    ["I live in {c}", "I'm in {c}, and I'm 3 months behind", "we are from {c}", "Springfield, {c}",
     "Springfield, {c} 12345", "my address is 12 Main St, Springfield, {c} 12345-6789",
     "I live in the state of {c}"],
)
def test_every_code_found_in_context(code, frame):
    text = frame.format(c=code)
    if code == "LA" and frame in ("I live in {c}", "I'm in {c}, and I'm 3 months behind", "we are from {c}"):
        assert values(text) == []  # "in LA" is Los Angeles as often as Louisiana
    else:
        assert values(text) == [code], text


@pytest.mark.parametrize("code", sorted(set(states.STATES) - states.AMBIGUOUS_CODES))
@pytest.mark.parametrize("frame", ["{c} is where I live", "what does {c} law say", "house in Austin {c}"])
def test_unambiguous_codes_count_anywhere_in_upper_case(code, frame):
    assert values(frame.format(c=code)) == [code]


@pytest.mark.parametrize("code", sorted(set(states.STATES) - states.AMBIGUOUS_CODES))
def test_unambiguous_lower_case_codes_need_context(code):
    c = code.lower()
    assert values(f"i live in {c}") == [code]
    assert values(f"austin, {c}") == [code]
    assert values(f"{c} is a thing i said") == []


@pytest.mark.parametrize("code", sorted(states.AMBIGUOUS_CODES))
@pytest.mark.parametrize("frame", ["{c} is where I live", "what does {c} say", "the {c} thing"])
def test_ambiguous_codes_need_context(code, frame):
    assert values(frame.format(c=code)) == []


@pytest.mark.parametrize("code", sorted(states.AMBIGUOUS_CODES))
def test_ambiguous_lower_case_codes_never_count_in_sentences(code):
    c = code.lower()
    assert values(f"i live in {c}") == []
    assert values(f"Springfield, {c}") == []


@pytest.mark.parametrize(
    "text",
    [
        "hi", "Hi", "HI", "hi there", "Hi, I need help", "ok", "OK", "Ok.", "OK thanks", "ok cool",
        "Is it OK to walk away?", "Sure, OK", "Oh, OK", "Yes, OK I will", "Thanks, OK", "oh no",
        "Oh no", "OH", "me", "ME", "me too", "Me and my wife owe 300k", "let me know", "in", "or",
        "I'm in over my head", "should I sell or walk away", "I'm ok with that",
        "I have a VA loan", "My loan is from the VA.", "an FHA or VA loan", "my MD said I can't work",
        "He is a CO-signer", "my co-signer", "I need my ID", "LA is expensive", "I live in LA",
        "PA is my dad", "I am IN", "MY HOUSE, OK?", "I AM IN OR NEAR TROUBLE", "HELP ME PLEASE",
        "i'm in de lane", "short sale OR foreclosure?",
        "Tell Mom OK", "the VA loan is fine", "my ID number is 12345", "Mass foreclosures are bad", "I miss my house", "I was ill.", "I need to wash.",
        "I am 3 mo. behind", "My Jersey is blue", "Kansas City", "I banked with Washington Mutual",
        "George Washington", "Narnia", "Puerto Rico", "Guam", "", "   ", "12345",
    ],
)
def test_ordinary_sentences_have_no_state(text):
    assert states.find(text) == []


@pytest.mark.parametrize(
    "text,expected",
    [
        ("I live in New York", ["NY"]),
        ("I live in York, PA", ["PA"]),
        ("West Virginia", ["WV"]),
        ("I moved from Virginia to West Virginia", ["VA", "WV"]),
        ("Virginia Beach", ["VA"]),
        ("Arkansas", ["AR"]),
        ("Kansas and Arkansas", ["KS", "AR"]),
        ("Washington", ["WA"]),
        ("I live in Washington state", ["WA"]),
        ("Washington DC", ["DC"]),
        ("Washington, D.C.", ["DC"]),
        ("I live in DC", ["DC"]),
        ("I'm in D.C. now", ["DC"]),
        ("Kansas City, MO", ["MO"]),
        ("Tulsa, OK", ["OK"]),
        ("Tulsa, OK 74103", ["OK"]),
        ("Portland, OR", ["OR"]),
        ("Portland, ME and I owe 200k", ["ME"]),
        ("Honolulu, HI", ["HI"]),
        ("Columbus, OH", ["OH"]),
        ("Baton Rouge, LA", ["LA"]),
        ("hi, I'm in Ohio", ["OH"]),
        ("Hi! I live in OK and owe 200k", ["OK"]),
        ("ok so I'm in Texas", ["TX"]),
        ("I have a VA loan in Virginia", ["VA"]),
        ("I have a VA loan on a house in VA", ["VA"]),
        ("I'm from PA", ["PA"]),
        ("I'm from Jersey", ["NJ"]),
        ("we live in Mass", ["MA"]),
        ("I moved to Calif. last year", ["CA"]),
        ("I LIVE IN TEXAS", ["TX"]),
        ("I LIVE IN TX", ["TX"]),
        ("I LIVE IN THE STATE OF OK", ["OK"]),
        ("TULSA OK 74103", ["OK"]),
        ("Texas or Oklahoma?", ["TX", "OK"]),
        ("my house is in TX but I moved to NY", ["TX", "NY"]),
        ("TX's laws", ["TX"]),
        ("My wife and I live in Scranton PA", ["PA"]),
        ("I live in Texas OK", ["TX"]),
        ("near Grand Rapids MI", ["MI"]),
        ("from Kansas City MO", ["MO"]),
        ("is OK a non-recourse state?", ["OK"]),
        ("OR law on deficiency", ["OR"]),
        ("PA residents", ["PA"]),
        ("I'm in St. Louis, MO", ["MO"]),
        ("We're in MI, Detroit area", ["MI"]),
        ("I live in tx", ["TX"]),
        ("tx", ["TX"]),
        ("pa", ["PA"]),
        ("Jersey", ["NJ"]),
        ("mass.", ["MA"]),
    ],
)
def test_sentences(text, expected):
    assert values(text) == expected


@pytest.mark.parametrize("variant,code", sorted(VARIANTS.items()))
def test_variants_normalize(variant, code):
    assert states.normalize(variant) == code


@pytest.mark.parametrize("variant,code", sorted(VARIANTS.items()))
@pytest.mark.parametrize("frame", ["I live in {s}", "{s} is where my house is", "we moved to {s} in 2019"])
def test_variants_found_in_sentences(variant, code, frame):
    text = frame.format(s=variant)
    found = states.find(text)
    assert [m.value for m in found] == [code], text
    assert text[found[0].start:found[0].end] == found[0].text


@pytest.mark.parametrize("word,code", sorted(WORD_VARIANTS.items()))
def test_word_variants(word, code):
    assert states.normalize(word) == code and states.normalize(word.lower()) == code
    assert values(f"I'm from {word}") == [code]
    assert values(f"{word} is a word here") == []
    assert values(f"i'm from {word.lower()}") == []


@pytest.mark.parametrize(
    "text,expected",
    [
        ("texas", "TX"), ("Tex.", "TX"), ("cali", "CA"), ("tx", "TX"), ("TX", "TX"), ("Washington DC", "DC"),
        ("Washington", "WA"), ("DC", "DC"), ("dc", "DC"), ("D.C.", "DC"), ("OK", "OK"), ("IN", "IN"),
        ("ok", None), ("Ok", None), ("hi", None), ("Hi!", None), ("oh", None), ("me", None), ("in", None),
        ("or", None), ("Narnia", None), ("", None), ("   ", None), ("Puerto Rico", None), ("Kansas City", None),
        ("I live in Ohio", "OH"), ("i'm in ok", None), ("I'm in OK", "OK"), ("the state of texas", "TX"),
        ("texas please", "TX"), ("Texas!", "TX"), ('"Texas"', "TX"), ("Texas or Ohio", None),
        ("N. Carolina", "NC"), ("NC", "NC"), ("nc", "NC"), ("Pa.", "PA"), ("Penn", "PA"), ("Mass", "MA"),
    ],
)
def test_normalize(text, expected):
    assert states.normalize(text) == expected


def test_non_strings():
    assert states.normalize(None) is None
    assert states.find(None) == []
    assert states.classify("I live in OK", 10, 12) == "OK"
    assert states.classify("I'm ok with it", 4, 6) is None
    assert states.classify("x", 5, 2) is None


def test_variants_cover_names():
    v = states.variants("nc")
    assert v["names"][0] == "North Carolina" and "N. Carolina" in v["names"] and v["codes"] == ["NC"]
    assert "Penn" in states.variants("PA")["words"]
    with pytest.raises(KeyError):
        states.variants("ZZ")


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_random_text_never_crashes(text):
    found = states.find(text)
    for m in found:
        assert text[m.start:m.end] == m.text and m.value in states.STATES
    starts = [m.start for m in found]
    assert starts == sorted(starts)
    assert all(a.end <= b.start for a, b in zip(found, found[1:]))
    code = states.normalize(text)
    assert code is None or code in states.STATES


@settings(max_examples=200, deadline=None)
@given(st.sampled_from(NAMES), st.text(alphabet=" .,;!?", max_size=3), st.text(alphabet=" .,;!?", max_size=3))
def test_name_with_punctuation_normalizes(pair, before, after):
    code, name = pair
    assert states.normalize(before + name + after) == code


def test_huge_text_is_fine():
    text = "I live in Texas and owe 300k. " * 5000
    found = states.find(text)
    assert len(found) == 5000 and {m.value for m in found} == {"TX"}


@pytest.mark.parametrize(
    "text,codes",
    [
        ("owe 300, worth 280. tx. current", ["TX"]),
        ("purchase loan, no heloc. fl.\nwe want out", ["FL"]),
        ("its a rental; nj; behind 2 months", ["NJ"]),
        # ambiguous codes stay words; a fragment must follow another sentence
        ("owe 300. ok. thanks", []),
        ("worth 280. me and my wife live there", []),
        ("nm, thanks for the help", []),
        ("tx was the first state we lived in", []),
    ],
)
def test_a_lower_case_code_as_a_sentence_of_its_own(text, codes):
    assert [m.value for m in states.find(text)] == codes


@pytest.mark.parametrize(
    "text,code",
    [("or", "OR"), ("in", "IN"), ("Me.", "ME"), (" oh ", "OH"), ("ok!", "OK"), ("hi", "HI"), ("tx", "TX"),
     ("Or?", "OR"), ("xx", None), ("ore", None), ("or maybe", None), ("", None), (None, None), (7, None)],
)
def test_code_answer_takes_any_case(text, code):
    assert states.code_answer(text) == code
