"""Which money an amount in a sentence is: the home's value, the total owed, the first or the second lien.

:func:`cue` reads the words around one amount and returns a :class:`Cue`.  The rules, in order:

1. Words right after the amount about other money or a difference ("20k in credit card debt",
   "50k underwater", "2100 a month", "80k more than it's worth") make it no role.
2. The nearest cue before the amount, in its sentence and after the previous amount (and the words
   that belong to that one: "550k on the first"), decides: "worth" -> home value, "owe" -> total
   owed, "first mortgage balance" -> first lien, "heloc" -> second lien, "payment" -> no role.
   Words that only look like a cue are skipped: a negated lien ("no heloc, house maybe 300k"), the
   house a loan is on ("the mortgage on the house is 290k"), other money compared ("worth half what
   we paid, maybe 210").
3. Without one, the words right after it decide: "260k left on the loan", "a 150k HELOC",
   "300 on the first", "a 300k house", "300k first".
4. A total owed followed by its lien ("we owe 300 on the first") is that lien; a lien followed by a
   balance word ("a heloc with about 48 left") or a part ("heloc is 120 of it") is that lien's balance.
5. A balance is a total (:data:`TOTAL`) when a total word is before it since the previous amount
   ("all in we owe 350", "between both loans we owe 350") or right after it ("350 combined"); a lien
   is a part (:data:`PART`) when a part word goes with it ("60 of that is the heloc", "the heloc
   alone is 45", "of which 60 is the heloc").

A cue is *strong* when it names the value or the balance itself ("worth", "owe", "payoff",
"on the first"); *weak* when it names only the loan ("my mortgage is 2400", "the heloc is 300",
"a 300k house"), which is also how people give a payment.  The phrases are data (:data:`_BEFORE`,
:data:`_AFTER`), one list per role and strength.

:func:`settle` then reads the amounts of one message together:

* an amount with no cue of its own, after a correction ("well", "maybe", "sorry i mean") and near the
  amount before it (within :data:`_CORRECTION_FACTOR`), takes that one's role: "worth 300, well
  maybe 280", "we owe 401k, sorry i mean 410k" (the last mention of a fact is the one that counts);
* "2 mortgages, 410 and 95": the first and the second lien;
* a lien smaller than a total said before it is a part of that total: "owe 275 total, heloc alone
  is about 35"; so is a part after any balance: "we owe 365, the heloc alone is 45";
* beside a second lien, a balance not said to be the total (:data:`TOTAL`) is the first lien, when
  the message names no first lien of its own: "owe 290 on the mortgage + 60 heloc", "mortgage
  balance 400k plus a 50k second" (not "we owe 350, 60 of it is the heloc": a part).  A second lien
  with only a weak cue counts at most :data:`SECOND_SHARE` of that balance ("we owe 290 and the heloc
  is 250" may be a $250 payment);
* a first and a second lien in one message are balances, not payments: "the first is 220 and the
  heloc is 95" (unless a payment is named: "payment on the first is 900");
* a bare figure below :data:`PAYMENT_FLOOR` with a cue that only names the mortgage is a balance:
  "the morgage is 142".
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import List, NamedTuple, Optional, Sequence, Tuple

HOME_VALUE = "home_value"
LOAN_BALANCE = "loan_balance"  # all mortgage debt on the home, or the one loan when no lien is named
FIRST_LIEN = "first_lien"
SECOND_LIEN = "second_lien"  # a second mortgage, HELOC or home-equity loan
ROLES = (HOME_VALUE, LOAN_BALANCE, FIRST_LIEN, SECOND_LIEN)
LIENS = (FIRST_LIEN, SECOND_LIEN)

# Below this, a home value is implausible and "mortgage"/"loan" + amount means a payment.  Explicit
# balance words still count ("I only owe 8k", "payoff is $4,500").
MIN_PLAUSIBLE = 10_000
# A bare figure below this after a cue that only names the mortgage is a balance in thousands ("the
# mortgage is 290ish"): a monthly mortgage payment, with taxes and insurance, is rarely below $400;
# from here on it may be one ("my mortgage is 900").
PAYMENT_FLOOR = 400

# What a phrase says besides its role; TOTAL, TWO and PAYMENT are also kept in ``Cue.mark`` for :func:`settle`.
SKIP = "skip"  # no cue at all: "no heloc", "on the house", "half what we paid"
PAYMENT = "payment"  # a payment: "payment on the first is 900"
TOTAL = "total"  # the total of the liens: "owe 380 total", "combined balance"
TWO = "two"  # "2 mortgages, 410 and 95": the next two amounts are the first and the second lien
PART = "part"  # a part of the total said before: "120 of it", "60 of that is the heloc", "heloc alone is 45"
# A second lien with a weak cue ("60 heloc", "the heloc is 60") makes the balance beside it the first
# lien only up to this share of it: second liens are mostly a fraction of the first, and "the heloc
# is 250" beside "we owe 290" is as likely a payment.
SECOND_SHARE = 0.5

_LOOK_BEFORE = 80  # characters read before an amount
_LOOK_AFTER = 60  # and after it

_FIRST = r"(?:first|1st|primary|main)"
_SECOND = r"(?:second|2nd|junior)"
_MORTGAGE = r"(?:mortgage|morgage|mortage|morgtage|mortgauge|mtg)"  # with the usual typos
_LOAN = r"(?:%s|loan|lien|note)" % _MORTGAGE
_HELOC = (r"(?:helocs?|home\s+equity\s+(?:loan|line)(?:\s+of\s+credit)?|equity\s+line(?:\s+of\s+credit)?|"
          r"piggy\s*-?\s*back(?:\s+loan)?)")
_HOME = r"(?:house|home|condo|townhouse|townhome|place|property)"
_BALANCE = r"(?:balance|payoff|pay-?off|principal)"
_WHOSE = r"(?:the|my|our|that|this)"
_ON = r"(?:on|of|for|in)"
# Words between a cue and its amount that change nothing ("house maybe 280", "second about 40").
_HEDGE = (r"(?:about|around|roughly|approx\w*|like|maybe|prob|probably|prolly|likely|possibly|realistically|"
          r"honestly|only|just|now|still|today|currently|is|at)")
_RIGHT_BEFORE = r"(?=(?:\s+%s)*[\s~:=]*$)" % _HEDGE  # only hedges left before the amount
# "the first is 300k", "our 2nd: 45k", "second 40": a bare ordinal names a lien only right before what it is.
_IS = r"(?=\s+(?:one\s+)?(?:is|was|at|of|for|has)\b|\s*[:=])"
_FIRST_NAMED = r"(?:%s\s+%s|%s\s+%s%s|(?:first|1st)%s)" % (_FIRST, _LOAN, _WHOSE, _FIRST, _IS, _RIGHT_BEFORE)
_SECOND_NAMED = r"(?:%s|%s\s+%s|(?:%s|a)\s+%s%s|(?:second|2nd)%s)" % (
    _HELOC, _SECOND, _LOAN, _WHOSE, _SECOND, _IS, _RIGHT_BEFORE)
_LIEN_WORD = r"(?:other\s+)?(?:%s|%s(?:\s+%ss?)?|%ss?)" % (_HELOC, _SECOND, _LOAN, _LOAN)
_PART = r"of\s+(?:that|it|this|which|those|the\s+total)"
_PART_IS = r"%s\s+(?:(?:is|was|being|on|for|in)\s+)?(?:(?:the|a|my|our)\s+)?" % _PART  # "of that is the"


class _Row(NamedTuple):
    role: Optional[str]
    strong: bool
    mark: Optional[str]
    phrases: Sequence[str]


# Phrases before the amount; within one position the first listed phrase wins.
_BEFORE: Sequence[_Row] = [
    _Row(None, False, SKIP, [  # look like a cue, say nothing about the amount after them
        r"(?:no|not\s+(?:a|any)|without\s+(?:a|any)|(?:(?:don'?t|dont|do\s+not|didn'?t|didnt|never)\s+"
        r"(?:have|had|got|take|took(?:\s+out)?)\s+(?:a|any)))\s+%s(?:\s*(?:,|or|nor|and)\s*(?:a\s+|any\s+)?%s)*"
        % (_LIEN_WORD, _LIEN_WORD),
        r"(?:on|of|against)\s+(?:the|my|our|this|that)\s+%s" % _HOME,
        # the loan's purpose, not a price: "550k on the first we bought it with, plus a 150k HELOC"
        r"(?:we|i)\s+(?:bought|purchased)\s+(?:it|the\s+%s)\s+with(?=\s*(?:[,;+&]|plus\b|and\b))" % _HOME,
        r"(?:half|twice|double|a\s+third\s+of|less\s+than|more\s+than|under|over|below|above|close\s+to)\s+"
        r"(?:of\s+)?what\s+(?:we|i|they)\s+(?:paid|owe|bought\s+it\s+for)",
    ]),
    _Row(None, False, PAYMENT, [
        r"(?:%s\s+|monthly\s+|house\s+|loan\s+|heloc\s+|%s\s+|%s\s+)?payments?" % (_MORTGAGE, _FIRST, _SECOND),
        r"monthly|per\s+month|a\s+month",
        r"(?:pay|pays|paying)%s" % _RIGHT_BEFORE,  # "we pay 900 on the first"
    ]),
    _Row(None, False, None, [  # other money, a difference, a score
        r"(?:student|car|auto|personal|credit\s*card|medical|payday|business)\s+(?:loans?|debts?|bills?)",
        r"income|salary|make|makes|making|earn|earns|paycheck|rent|rents|savings|saved|401k|retirement",
        r"bought|buy|purchased?|paid|pay\s+for|down\s+payment|closing\s+costs|taxes|tax\b|hoa|insurance",
        r"loan[\s-]+to[\s-]+value|ltv|credit\s+score|credit|fico|score|rate",
        r"underwater|under\s+water|upside[\s-]+down|negative\s+equity|equity|short\s+by|shortfall|deficiency|"
        r"difference|gap|more\s+than|less\s+than|over\s+what|lost|loss|down\s+by|dropped|fell",
    ]),
    _Row(FIRST_LIEN, True, None, [r"%s(?:'s)?\s+%s" % (_FIRST_NAMED, _BALANCE),
                                  r"%s\s+%s\s+%s\s+%s\b(?:\s+%s)?" % (_BALANCE, _ON, _WHOSE, _FIRST, _LOAN)]),
    _Row(SECOND_LIEN, True, None, [r"%s(?:'s)?\s+%s" % (_SECOND_NAMED, _BALANCE),
                                   r"%s\s+%s\s+(?:%s\s+)?(?:%s|%s\b(?:\s+%s)?)"
                                   % (_BALANCE, _ON, _WHOSE, _HELOC, _SECOND, _LOAN)]),
    _Row(FIRST_LIEN, False, None, [_FIRST_NAMED]),
    _Row(SECOND_LIEN, False, None, [_SECOND_NAMED]),
    _Row(HOME_VALUE, True, None, [
        r"worth|values?|valued|valuation|apprais\w*|zillow|zestimate|redfin|realtor|agent\s+(?:says|said|thinks)|"
        r"comps?|comparables?|market|listed|listing|list\s+(?:it|price)|asking|sell\w*|sold|go\s+for|get\s+for|"
        r"fetch|home\s+is|house\s+is|condo\s+is|place\s+is|property\s+is|estimated?|assessed",
        r"%s(?:\s+%s)+%s" % (_HOME, _HEDGE, _RIGHT_BEFORE),  # "house maybe 280", "house prob 125"
    ]),
    _Row(LOAN_BALANCE, True, TOTAL, [r"(?:total|combined)\s+(?:owed|owing|debt|balance|payoff|of\s+both)|"
                                     r"totall?ing|in\s+total|all\s+in|all\s+together|altogether|combined|"
                                     r"between\s+(?:the\s+)?(?:both|two)|(?:on|for)\s+both"]),
    _Row(LOAN_BALANCE, True, None, [r"owe|owes|owed|owing|%s|pay\s+off|left\s+on|remaining" % _BALANCE]),
    _Row(LOAN_BALANCE, False, TWO, [r"(?:two|2|both)\s+(?:%s|loan|lien|note)s" % _MORTGAGE]),
    _Row(LOAN_BALANCE, False, None, [r"%ss?|loans?|liens?|debt|still\s+have" % _MORTGAGE]),
]

# Phrases right after the amount.
_AFTER: Sequence[_Row] = [
    _Row(None, False, None, [r"(?:a|per|/)\s*(?:month|mo|year|yr)|monthly|income|salary|payments?|down|savings|"
                             r"student|car|credit"]),
    _Row(None, False, TOTAL, [r"(?:in\s+)?total|altogether|all\s+together|combined|in\s+all|all\s+in|"
                              r"between\s+(?:the\s+)?(?:both|two|them)|(?:on|for)\s+(?:both|the\s+two)|"
                              r"including|counting"]),
    _Row(SECOND_LIEN, True, PART, [r"%s(?:%s|%s\b(?:\s+%s)?)" % (_PART_IS, _HELOC, _SECOND, _LOAN)]),
    _Row(FIRST_LIEN, True, PART, [r"%s%s\b(?:\s+%s)?" % (_PART_IS, _FIRST, _LOAN)]),
    _Row(None, True, PART, [_PART]),
    _Row(FIRST_LIEN, True, None, [r"(?:(?:left|owed|owing|remaining|outstanding|still)\s+)?%s\s+%s\s+%s\b(?:\s+%s)?"
                                  % (_ON, _WHOSE, _FIRST, _LOAN)]),
    _Row(SECOND_LIEN, True, None, [r"(?:(?:left|owed|owing|remaining|outstanding|still)\s+)?%s\s+(?:%s|a)\s+"
                                   r"(?:%s|%s\b(?:\s+%s)?)" % (_ON, _WHOSE, _HELOC, _SECOND, _LOAN)]),
    _Row(FIRST_LIEN, False, None, [r"%s\s+%s" % (_FIRST, _LOAN), r"(?:first|1st)(?=\s*(?:[,.;:)/+&]|and\b|plus\b|$))"]),
    _Row(SECOND_LIEN, False, None, [_HELOC, r"%s(?:\s+%s)?(?!\s+(?:home|house|condo|property|place|job))"
                                    % (_SECOND, _LOAN)]),
    _Row(LOAN_BALANCE, True, None, [
        r"(?:is\s+)?(?:what\s+)?(?:i|we)\s+(?:still\s+)?owe",
        r"(?:still\s+)?(?:left|owed|owing|remaining|outstanding)",
        r"(?:on|of)\s+(?:the|my|our)\s+(?:%s|loan)" % _MORTGAGE,
        r"balance|payoff|principal|in\s+debt",
    ]),
    _Row(LOAN_BALANCE, False, None, [r"%s|loan|lien" % _MORTGAGE]),
    _Row(HOME_VALUE, True, None, [
        r"(?:is\s+)?(?:what\s+)?(?:it'?s|its|it\s+is|the\s+house\s+is|the\s+home\s+is)\s+worth",
        r"(?:in\s+)?(?:value|market\s+value|appraisal)",
    ]),
    _Row(HOME_VALUE, False, None, [r"(?:home|house|condo|townhouse|townhome|property)\b"
                                   r"(?!\s*(?:payments?|loans?|equity))"]),
]

# Right after the amount, whatever came before: other money or a difference -> no role.
_NOT_THIS_AFTER_RE = re.compile(
    r"^\s*(?:(?:dollars|bucks)\s+)?(?:"
    r"(?:a|per|/|each|every)\s*(?:month|mo|year|yr)\b|monthly\b|annually\b|yearly\b"
    r"|(?:or\s+so\s+)?(?:more\b|less\b|over\b|under\b|underwater|under\s+water|upside|short\b|above\b|below\b"
    r"|in\s+(?:negative\s+)?equity|of\s+(?:negative\s+)?equity|equity\b|than\b|in\s+the\s+hole|deficiency"
    r"|difference|gap)"
    r"|(?:in|of|on|for)?\s*(?:my\s+|our\s+|the\s+)?(?:credit\s*cards?|student|medical|car|auto|personal|payday"
    r"|business|savings|retirement|401k|cash|stocks?|back\s+taxes|taxes|hoa|income|salary)\b)",
    re.IGNORECASE,
)
_SENTENCE_END_RE = re.compile(r"[.!?;\n]\s|[!?;\n]")
# Before a lien's amount: it is a part of the balance said before ("the heloc alone is 45").
_PART_BEFORE_RE = re.compile(r"\b(?:alone|by\s+itself|of\s+which|out\s+of\s+(?:that|it|this))\b", re.IGNORECASE)
# Between a payment word and the lien it is the payment of: "payment on the first is 900".
_PAYMENT_OF_RE = re.compile(r"\s*(?:on|for|of|to|towards?)\s*", re.IGNORECASE)


def _compile(table: Sequence[_Row], anchored: bool) -> "re.Pattern[str]":
    head = r"^\s*(?:(?:dollars|bucks)\s+)?" if anchored else r"\b"
    return re.compile(
        "|".join(r"(?P<c%d>%s(?:%s)\b)" % (i, head, "|".join(row.phrases)) for i, row in enumerate(table)),
        re.IGNORECASE,
    )


_BEFORE_RE = _compile(_BEFORE, anchored=False)
_AFTER_RE = _compile(_AFTER, anchored=True)


@dataclass(frozen=True)
class Cue:
    """What the words around an amount say: ``role`` (one of :data:`ROLES`, or None), ``strong``
    (they name the value or balance itself), ``found`` (some cue was there, maybe one for other
    money), ``consumed`` (characters right after the amount that belong to it), ``mark`` (None,
    :data:`TOTAL`, :data:`TWO`, :data:`PART` or :data:`PAYMENT`: read by :func:`settle`)."""

    role: Optional[str]
    strong: bool
    found: bool
    consumed: int
    mark: Optional[str] = None


def _window(text: str, start: int, end: int, lo: int, hi: int) -> Tuple[str, str]:
    left = text[max(lo, start - _LOOK_BEFORE, 0):start]
    ends = list(_SENTENCE_END_RE.finditer(left))
    if ends:
        left = left[ends[-1].end():]
    right = text[end:min(hi, end + _LOOK_AFTER, len(text))]
    stop = _SENTENCE_END_RE.search(right)
    return left, right[:stop.start()] if stop else right


def _row(table: Sequence[_Row], m: Optional["re.Match[str]"]) -> _Row:
    return table[int(m.lastgroup[1:])] if m else _Row(None, False, None, ())


def cue(text: str, start: int, end: int, lo: int = 0, hi: Optional[int] = None) -> Cue:
    """The cue of the amount ``text[start:end]``; ``lo``/``hi``: where the previous amount (with the
    words that belong to it) ends and the next one starts (the window never crosses them)."""
    left, right = _window(text, start, end, lo, len(text) if hi is None else hi)
    not_this = _NOT_THIS_AFTER_RE.match(right)
    if not_this:
        return Cue(None, False, True, not_this.end())
    before = [m for m in _BEFORE_RE.finditer(left) if _row(_BEFORE, m).mark != SKIP]
    after = _AFTER_RE.match(right)
    b, a = _row(_BEFORE, before[-1] if before else None), _row(_AFTER, after)
    if a.mark == PART:  # "60 of that is the heloc", "heloc is 120 of it"
        role = a.role or (b.role if b.role in LIENS else None)
        strong = role is not None
    elif not before:
        role, strong = a.role, a.strong
    elif b.role == LOAN_BALANCE and a.role in LIENS:
        role, strong = a.role, b.strong or a.strong  # "we owe 300 on the first"
    elif b.role in LIENS and a.role == LOAN_BALANCE and a.strong:
        role, strong = b.role, True  # "a heloc with about 48 left"
    else:
        role, strong = b.role, b.strong
    mark = None
    if role == LOAN_BALANCE and (a.mark == TOTAL or any(_row(_BEFORE, m).mark == TOTAL for m in before)):
        mark = TOTAL
    elif role == LOAN_BALANCE and b.mark == TWO:
        mark = TWO
    elif role in LIENS and (a.mark == PART or _PART_BEFORE_RE.search(left)):
        mark = PART
    elif role in LIENS and len(before) > 1 and _row(_BEFORE, before[-2]).mark == PAYMENT and \
            _PAYMENT_OF_RE.fullmatch(left[before[-2].end():before[-1].start()]):
        mark = PAYMENT
    consumed = after.end() if after and a.role in (None, role) else 0  # not "its worth" after "owe 198"
    return Cue(role, strong, bool(before) or after is not None, consumed, mark)


# Between an amount and its correction: "300, well maybe 280", "401k, sorry i mean 410k", "400? maybe 420";
# at least one word that corrects, not only hedges ("we owe 300, about 20 to the irs").
_FIX = (r"(?:or\s+)?(?:well|no|nah|wait|sorry|oops|actually|i\s+mean|i\s+meant|i\s+think|make\s+(?:that|it)|"
        r"more\s+like|closer\s+to|rather|scratch\s+that|maybe|prob|probably|realistically|honestly|really)\b")
_FILLER = r"(?:like|about|around|roughly|approx\w*|just|prolly)\b"
_P = r"[\s,.;:?!()-]*"
_CORRECTION_RE = re.compile(r"%s(?:%s%s)*%s%s(?:(?:%s|%s)%s)*" % (_P, _FILLER, _P, _FIX, _P, _FIX, _FILLER, _P),
                            re.IGNORECASE)
# A correction restates the same quantity: within this factor of the amount it corrects.
_CORRECTION_FACTOR = 2.0
# Between the two amounts of "2 mortgages, 410 and 95".
_LISTED_RE = re.compile(r"\s*(?:,|and|&|\+|/|plus)\s*(?:and\s+)?", re.IGNORECASE)


class Amount(NamedTuple):
    """One amount of a message for :func:`settle`: ``text[start:end]``, ``dollars`` as a balance
    would be read (thousands implied for a ``bare`` figure: "338" -> 338000.0)."""

    start: int
    end: int
    dollars: float
    bare: bool


def _balance_sized(a: Amount) -> bool:
    return a.bare or a.dollars >= MIN_PLAUSIBLE


def settle(text: str, found: Sequence[Amount], cues: Sequence[Cue]) -> List[Cue]:
    """The cues of a message's amounts (``found``, left to right, with their :func:`cue`), read
    together (the rules in the module doc); one cue per amount, in the same order."""
    out = list(cues)
    for i in range(1, len(out)):
        gap, prev, this = text[found[i - 1].end:found[i].start], found[i - 1], found[i]
        if out[i].role is not None or out[i].found:
            continue
        if out[i - 1].role and _CORRECTION_RE.fullmatch(gap) and \
                prev.dollars / _CORRECTION_FACTOR <= this.dollars <= prev.dollars * _CORRECTION_FACTOR:
            out[i] = Cue(out[i - 1].role, out[i - 1].strong, True, out[i].consumed)
        elif out[i - 1].mark == TWO and _LISTED_RE.fullmatch(gap) and _balance_sized(prev) and _balance_sized(this):
            out[i - 1] = Cue(FIRST_LIEN, True, True, out[i - 1].consumed)
            out[i] = Cue(SECOND_LIEN, True, True, out[i].consumed)
    total = balance = None
    for i, (a, c) in enumerate(zip(found, out)):
        if c.role == LOAN_BALANCE:
            total = a.dollars if c.mark == TOTAL else total
            balance = a.dollars
        elif c.role in LIENS:
            whole = balance if c.mark == PART else total
            if whole is not None and a.dollars < whole:  # "owe 275 total, heloc alone is about 35"
                out[i] = Cue(c.role, True, True, c.consumed, c.mark)
    for i, (a, c) in enumerate(zip(found, out)):
        if c.role == LOAN_BALANCE and not c.strong and c.mark != TWO and a.bare and a.dollars < PAYMENT_FLOOR * 1000:
            out[i] = Cue(c.role, True, True, c.consumed)  # "the morgage is 142"
    _first_beside_second(found, out)
    liens = [i for i, (a, c) in enumerate(zip(found, out)) if c.role in LIENS and c.mark != PAYMENT
             and _balance_sized(a)]
    if {out[i].role for i in liens} == set(LIENS):  # "the first is 220 and the heloc is 95"
        for i in liens:
            out[i] = Cue(out[i].role, True, True, out[i].consumed, out[i].mark)
    return out


def _first_beside_second(found: Sequence[Amount], out: List[Cue]) -> None:
    """"owe 290 on the mortgage + 60 heloc": the balances that are not a total become the first lien
    (in ``out``), when a second lien's balance is said and no first lien is named."""
    if any(c.role == FIRST_LIEN and c.mark != PAYMENT for c in out):
        return
    seconds = [(a, c) for a, c in zip(found, out) if c.role == SECOND_LIEN and c.mark not in (PAYMENT, PART)
               and _balance_sized(a)]
    for i, (a, c) in enumerate(zip(found, out)):
        if c.role == LOAN_BALANCE and c.strong and c.mark is None and _balance_sized(a) and any(
                s.strong or lien.dollars <= a.dollars * SECOND_SHARE for lien, s in seconds):
            out[i] = Cue(FIRST_LIEN, True, True, c.consumed)
