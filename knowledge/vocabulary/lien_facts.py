"""Phrase data for the per-lien conditions that decide whether a lender can pursue a deficiency: who
lent (``lender_type``), what a second lien paid for (``second_lien_purpose``), the first mortgage's
year (``loan_year``; role ``second_lien`` for a HELOC's), the lot (``acres``) and the dwelling units
(``units``).  Pure data; no spaCy import.  Phrase syntax: :mod:`knowledge.vocabulary.facts`.

Two homes in the pipeline (``bot.nlu.fact_patterns``, ``bot.nlu.lien_patterns``):

* :data:`FACTS` join the fact ruler (``doc.ents``): categorical words, negation and hypotheticals by
  negspacy as for every fact ("not seller financed" gives nothing);
* :data:`SPAN_FACTS` go to a ``span_ruler`` (``doc.spans``), because their words overlap fact
  phrases ("we live in the duplex" is an occupancy *and* 2 units; "a HELOC from 2007 for a remodel"
  is a year *and* a purpose) and ``doc.ents`` cannot overlap.  negspacy's matcher still decides
  their negation ("not a duplex").  A reading whose value is :data:`NUMBER` takes the number the
  span says, read by :mod:`knowledge.vocabulary.lien_numbers` ("a 6-unit building", "half an acre").
"""

from __future__ import annotations

from typing import Any, Dict, Tuple

from knowledge.vocabulary.facts import Fact, Reading

_R = Reading
#: A reading's value to be read from the span's own words (a year, a number of acres or units).
NUMBER = "#"

#: Word classes of these phrases (``<name>``), merged with ``facts.WORD_CLASSES``.
WORD_CLASSES: Dict[str, Dict[str, Any]] = {
    # who lends money without being a lender
    "kin": {"LOWER": {"IN": ["uncle", "aunt", "parents", "dad", "mom", "father", "mother", "grandma", "grandpa",
                             "grandparents", "grandmother", "grandfather", "brother", "sister", "cousin", "friend",
                             "friends", "inlaws", "in-laws", "family", "relative", "relatives", "boss", "neighbor"]}},
    # what later borrowing pays for
    "project": {"LEMMA": {"IN": ["remodel", "remodeling", "renovation", "reno", "rehab", "kitchen", "bathroom", "bath",
                                 "pool", "roof", "addition", "repair", "improvement", "upgrade", "solar", "landscaping",
                                 "deck", "patio", "basement", "hvac", "furnace", "fence", "car", "truck", "boat", "rv",
                                 "debt", "credit", "card", "bill", "tuition", "college", "school", "business",
                                 "wedding",
                                 "vacation", "consolidation", "medical", "rental", "cards", "bills"]}},
    "fix": {"LEMMA": {"IN": ["remodel", "renovate", "fix", "redo", "repair", "upgrade", "consolidate", "update",
                             "finish", "build", "add", "install", "start", "rehab", "renovating", "remodeling"]}},
    # words between a second lien and what it paid for ("HELOC from 2007 for", "heloc we took out in 06 to")
    "gap": {"IS_PUNCT": False, "IS_SENT_START": False, "LOWER": {"NOT_IN": [
        "but", "or", "so", "because", "since", "then", "while", "though", "although", "plus", "also", "which",
        "first", "1st", "mortgage"]}},
    "year": {"SHAPE": "dddd"},  # 1950..2026, checked by lien_numbers.year
    "yy": {"SHAPE": "dd"},  # "in '06"
    "apos": {"ORTH": {"IN": ["'", "\u2019"]}},
    "second": {"LOWER": {"IN": ["second", "2nd"]}},
}

# A second mortgage, HELOC or home-equity loan, as one or more words.
SECONDS = ("heloc", "home -? equity loan", "home -? equity line", "equity line", "line of credit",
           "second mortgage", "2nd mortgage", "second loan", "2nd loan", "<det> second", "<det> 2nd")
_GAP = "<gap>? " * 6
# What paid for the home itself, and what came later.
_PURCHASE = ("for <det>? down -? payment", "for <det>? downpayment", "to cover <det>? down -? payment",
             "<be> <det>? down -? payment", "as <det>? down -? payment", "to buy <det> <home>", "to buy it",
             "to purchase <det> <home>", "to purchase it", "when <we> =bought", "at closing",
             "at the same time as <det> first")
_OTHER = ("for <det>? new? <project>", "for home <project>", "for some <project>", "to <fix>", "to pay off",
          "to pay down", "to pay for", "to put in", "to buy <det>? new? <project>", "to cover <det>? <project>")


def _after_second(purposes: Tuple[str, ...]) -> Tuple[str, ...]:
    return tuple(f"{second} {_GAP}{purpose}" for second in SECONDS for purpose in purposes)


FACTS: Tuple[Fact, ...] = (
    # --- lender_type --------------------------------------------------------------------------------
    Fact("lender_type=seller", _R("lender_type", "seller"), None, (
        "seller -? finance", "seller -? financing", "owner -? finance", "owner -? financing", "seller =carried",
        "seller carry", "seller carry -? back", "carryback", "seller <be> <det>? lender", "seller hold <det> note",
        "seller hold <det> mortgage", "previous owner <be> <det>? lender", "prior owner <be> <det>? lender",
        "previous owner hold <det> note", "previous owner =financed", "land contract", "contract for deed",
        "=financed through <det> seller", "=financed by <det> seller", "=financed with <det> seller",
    )),
    Fact("lender_type=private", _R("lender_type", "private"), None, (
        "private lender", "private loan", "private money", "private investor", "private party loan", "hard money",
        "hard -? money lender", "hard -? money loan", "<kin> =lent", "<kin> =loaned", "<kin> lend us",
        "borrow <det>? money from <poss>? <kin>", "borrow from <poss>? <kin>", "loan from <poss>? <kin>",
        "<kin> hold <det> note", "<kin> hold <det> mortgage", "family loan", "<kin> =financed",
    )),
    Fact("lender_type=institution", _R("lender_type", "institution"), None, (
        "from a bank", "from the bank", "through a bank", "through the bank", "with a bank", "bank loan",
        "bank mortgage", "regular bank", "big bank", "<poss> lender <be> <det>? bank", "credit union",
        "mortgage company", "mortgage lender", "mortgage broker", "wells fargo", "bank of america", "bofa", "boa",
        "b of a", "with chase", "through chase", "from chase", "chase bank", "chase mortgage", "chase home",
        "lender <be> chase", "rocket mortgage", "with rocket", "through rocket", "from rocket", "quicken loans",
        "quicken", "us bank", "pnc", "citimortgage", "citi mortgage", "navy federal", "usaa", "countrywide",
        "wamu", "washington mutual", "indymac", "fha loan", "fha mortgage", "usda loan", "conventional loan",
        "conventional mortgage",  # not "VA loan": "a VA loan in Virginia" is read for the state
    )),
    # --- second_lien_purpose (an 80/20's second is the loan_purpose=piggyback fact of facts.FACTS) --
    Fact("second_lien_purpose=purchase", _R("second_lien_purpose", "purchase"), None,
         _after_second(_PURCHASE) + ("used <det> <second> to buy", "used <det> heloc to buy",
                                     "used <det> home -? equity loan to buy")),
    Fact("second_lien_purpose=other", _R("second_lien_purpose", "other"), None, _after_second(_OTHER)),
)
#: Longer phrases that hide a lender word used for something else.
NOT_FACTS: Tuple[str, ...] = (
    "private mortgage insurance", "quicken to", "boa constrictor", "credit union account",
    "the bank account", "bank account", "from the bank account",
)

# --- span facts: years, acres, units (bot.nlu.lien_patterns) ---------------------------------------
# Words between a loan verb and its year ("bought a house in cape coral in 2005"): no other year, no
# other loan, no new clause.
WORD_CLASSES["ygap"] = {"IS_PUNCT": False, "IS_SENT_START": False, "SHAPE": {"NOT_IN": ["dddd"]},
                        "LOWER": {"NOT_IN": [
    "and", "but", "or", "so", "then", "when", "after", "before", "until", "since", "because", "heloc", "helocs",
    "second", "2nd", "equity", "refinanced", "refi", "sold", "moved", "lost", "stopped"]}}
_YEARS = ("<year>", "<apos> <yy>")
_YGAP = "<ygap>? "
# The first mortgage: said with the verb that made it ("bought", "refinanced", "got our mortgage")...
_FIRST_VERBS = ("=bought", "=bought " + _YGAP * 7, "=got it " + _YGAP * 4, "cash -? out", "cash -? out refi",
                "=purchased", "=purchased " + _YGAP * 3, "=closed", "=closed on " + _YGAP * 2, "=refinanced",
                "=refinanced " + _YGAP * 2, "=refi'd", "=refied", "=refid", "refi", "refinance", "did a refi",
                "=got <poss>? mortgage", "=got <poss>? loan", "=took out <poss>? mortgage", "=took out <poss>? loan",
                "=took <poss> loan", "=took <poss> mortgage", "=signed <det>? <pay>", "originated", "80/20",
                "=did <det> 80/20", "=got <det> 80/20")
# ... or as a loan "from" a year ("the loan is from 2011", "an 80/20 from 2005").
_FIRST_LOANS = ("mortgage", "loan", "note", "refi", "refinance", "80/20", "1st mortgage", "first mortgage",
                "<det> first", "original loan", "original mortgage", "purchase loan")
_SECOND_LOANS = ("heloc", "home -? equity loan", "home -? equity line", "equity line", "line of credit",
                 "second mortgage", "2nd mortgage", "second loan", "2nd loan", "<det> second", "<det> 2nd")


def _in_year(*heads: str) -> Tuple[str, ...]:
    """``head in <year>`` and ``head back in <year>``, the year in four digits or as "'06"."""
    return tuple(f"{head} {back}in {year}" for head in heads for back in ("", "back ") for year in _YEARS)


SPAN_FACTS: Tuple[Fact, ...] = (
    Fact("loan_year=first", _R("loan_year", NUMBER), None, (
        _in_year(*_FIRST_VERBS)
        + tuple(f"{loan} <be>? from {year}" for loan in _FIRST_LOANS for year in _YEARS)
        + tuple(f"<year> {loan}" for loan in ("mortgage", "loan", "refi", "refinance", "purchase"))
        + tuple(f"in {year} <we> {verb}" for year in _YEARS for verb in ("=bought", "=refinanced", "=refi'd"))
    )),
    Fact("loan_year=second", _R("loan_year", NUMBER, "second_lien"), None, (
        _in_year(*(head for loan in _SECOND_LOANS for head in (
            loan, f"=took out <det>? {loan}", f"=got <det>? {loan}", f"=opened <det>? {loan}",
            f"{loan} <we> =took out", f"{loan} <we> =got", f"{loan} {_YGAP * 3}".strip())))
        + tuple(f"{loan} <be>? from {year}" for loan in _SECOND_LOANS for year in _YEARS)
        + tuple(f"<year> {loan}" for loan in _SECOND_LOANS if not loan.startswith("<det>"))
    )),
    # --- acres: the lot ---------------------------------------------------------------------------
    Fact("acres", _R("acres", NUMBER), None, tuple(
        f"{limit}{amount}" for limit in ("", "less than ", "under ", "about ", "around ", "roughly ", "like ")
        for amount in (
            "<num> -? acre", "<num> and a half -? acre", "<num> and <det> half -? acre", "half <det>? -? acre",
            "a half -? acre", "a quarter -? acre", "quarter <det>? -? acre", "quarter of <det> acre",
            "<num> -? quarter of <det>? acre", "<num> -? quarter -? acre",
            "an acre", "a third of <det>? acre", "a third -? acre", "<num> <num> -? acre",
        ))),
    # --- units: dwellings on the lot -------------------------------------------------------------------
    Fact("units=1", _R("units", 1), None, (
        "single -? family", "sfh", "sfr", "condo", "condominium", "townhouse", "townhome", "town house", "town home",
        "rowhouse", "row house",
    )),
    Fact("units=2", _R("units", 2), None, ("duplex", "two -? family", "2 -? family", "double -? decker",
                                          "up -? and -? down duplex")),
    Fact("units=3", _R("units", 3), None, ("triplex", "tri -? plex", "three -? family", "3 -? family",
                                          "triple -? decker")),
    Fact("units=4", _R("units", 4), None, ("fourplex", "four -? plex", "quadplex", "quad -? plex", "quadruplex",
                                          "4plex", "four -? family", "4 -? family")),
    Fact("units=n", _R("units", NUMBER), None, ("<num> -? plex", "<num> -? unit", "<num> unit building",
                                                "<num> -? unit <home>")),
)


# --- a bare reply to "What was the second mortgage or HELOC for?" ------------------------------------
# Without a second lien named in the reply, the phrases above can't anchor; the question does.
_BARE_PURCHASE = ("down payment", "downpayment", "down pymt", "to buy", "buy the", "buying", "bought the",
                  "bought it", "bought the house", "when we bought", "buy it",
                  "purchase", "80/20", "80-20", "piggyback", "piggy back", "at closing", "same time")
_BARE_OTHER_WORDS = frozenset(WORD_CLASSES["project"]["LEMMA"]["IN"]) | {
    "later", "after", "afterwards", "remodeling", "renovations", "improvements", "repairs", "debts", "loans",
    "consolidate", "cash", "equity", "expenses", "tuition"}


def bare_second_purpose(text: str) -> "str | None":
    """``purchase`` / ``other`` for a reply to the question about the second lien's purpose ("for the
    down payment", "a remodel, years after we bought"), or None when it names neither. A reply naming
    both ("we bought in 2005 and took it later for a pool") is later borrowing."""
    lowered = " ".join(text.lower().split())
    words = {w.strip(".,!?;:()'\"") for w in lowered.split()}
    if words & _BARE_OTHER_WORDS:
        return "other"
    if any(cue in lowered for cue in _BARE_PURCHASE):
        return "purchase"
    return None
