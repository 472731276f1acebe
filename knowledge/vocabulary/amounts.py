"""Dollar amounts: ``parse`` a short answer, ``find`` amounts (with their role) in a sentence, ``format_usd``.

What is an amount in a sentence (:func:`find`):

* a number with a currency sign or word: "$350,000", "$ 1,234.56", "350,000 dollars", "USD 5000";
* a number with a scale: "350k", "350K", "$210k", "1.2m", "1.2 million", "2.5 mil", "350 thousand",
  "350 grand";
* number words with a scale or "dollars": "three hundred fifty thousand", "half a million",
  "a quarter million", "one point two million", "five hundred dollars";
* a bare number of at least 1,000 ("about 190000", "I owe 85,000").

Not amounts: bare numbers below 1,000 ("2", "780"), bare years 1900-2099 ("in 2021", "since 2019"),
tax form numbers ("1099-C", "a 1099", "form 1040"),
numbers followed by %, percent, months, years, days, weeks, payments, points, sq ft; phone numbers
and dates ("800-569-4287", "5/2021"), ZIP codes after a state ("OK 74103"), "401k" / "403b" (unless
written with "$").

Role (only when the words near the amount say so; otherwise ``None``, never guessed):
``home_value`` after "worth", "value", "appraised", "sell for", "zillow (says)", "market",
"comps", "listed"...; ``loan_balance`` after "owe", "balance", "payoff", "loan is", "mortgage of",
"principal", "heloc"..., or before "left on the loan", "mortgage", "balance". The cue nearest before
the amount in the same sentence (and after the previous amount) decides.  Below $10,000 an amount
is never a home value, and is a loan balance only with an explicit word ("owe", "balance",
"payoff"): "my mortgage is $2,400" is a payment.  Words about other money
("payment", "a month", "income", "bought for", "paid", "student loan", "savings") and about a
difference ("more than", "less than", "underwater by", "upside down", "equity", "short") make the
role ``None``.

:func:`parse` is for a short answer ("350k", "about $1.2 million", "three hundred fifty thousand"):
it also takes bare numbers of any size ("350" -> 350.0) and returns None when the text holds no
amount or two different ones.
"""

from __future__ import annotations

import math
import re
from typing import List, Optional, Tuple

from knowledge.vocabulary import _numbers
from knowledge.vocabulary._spans import Spans
from knowledge.vocabulary.mention import Mention

HOME_VALUE = "home_value"
LOAN_BALANCE = "loan_balance"

_NUM = r"(?:[0-9]{1,3}(?:,[0-9]{3})+(?:\.[0-9]+)?|[0-9]+(?:\.[0-9]+)?|\.[0-9]+)"
_SCALE = (
    r"(?:\s*(?:thousand|grand|million|millions|mil|mill|billion)\b"
    r"|\s?[kK](?![A-Za-z0-9])|[mM]{1,2}(?![A-Za-z0-9])|\s?MM(?![A-Za-z0-9])|\s?mln\b)"
)
_NUMERIC_RE = re.compile(
    r"(?<![A-Za-z0-9.,$])"
    r"(?P<cur>\$\s?|(?:usd|US\$)\s?)?"
    r"(?P<num>" + _NUM + r")"
    r"(?P<scale>" + _SCALE + r")?"
    r"(?P<word>\s*(?:dollars|dollar|bucks|usd)\b)?"
    r"(?![0-9])",
    re.IGNORECASE,
)
_SCALE_VALUES = {"k": 1e3, "thousand": 1e3, "grand": 1e3, "m": 1e6, "mm": 1e6, "mil": 1e6, "mill": 1e6,
                 "million": 1e6, "millions": 1e6, "mln": 1e6, "billion": 1e9}

# After a bare number: not money.
_NOT_MONEY_AFTER_RE = re.compile(
    r"^\s*(?:%|percent|per\s*cent|pct|months?|mos?\b|mths?|years?|yrs?|days?|weeks?|wks?|payments?|"
    r"points?|pts?|sq|square|sqft|ft|feet|miles?|mi\b|people|kids|children|hours?|hrs?|times|x\b|"
    r"credit|fico|score|beds?|baths?|bedrooms?|am\b|pm\b|st\b|nd\b|rd\b|th\b|-[0-9A-Za-z]|/[0-9]|:[0-9]|\.[0-9]|"
    r"forms?\b)",
    re.IGNORECASE,
)
_NOT_MONEY_BEFORE_RE = re.compile(
    r"(?:[0-9][-/:]|[A-Za-z]-|\(\s*|#|form\s+|score\s+(?:of\s+|is\s+)?|fico\s+(?:of\s+|is\s+)?|zip\s*(?:code)?\s*(?:is\s+)?|"
    r"(?-i:\b[A-Z]{2}),?\s)$",
    re.IGNORECASE,
)
_MONTHLY_AFTER_RE = re.compile(
    r"^\s*(?:a|per|/|each|every)\s*(?:month|mo|year|yr)\b|^\s*(?:monthly|annually|yearly)\b|^\s*/\s*(?:mo|month|yr|year)\b",
    re.IGNORECASE,
)
_DIFFERENCE_AFTER_RE = re.compile(
    r"^\s*(?:(?:dollars|bucks)\s+)?(?:or\s+so\s+)?(?:more\b|less\b|over\b|under\b|underwater|under\s+water|upside|"
    r"short\b|above\b|below\b|in\s+(?:negative\s+)?equity|of\s+(?:negative\s+)?equity|equity\b|than\b|"
    r"in\s+the\s+hole|deficiency|difference|gap)",
    re.IGNORECASE,
)

# After "a million" / "a grand": the phrase is an amount only when no noun follows it.
_A_SCALE_END_RE = re.compile(
    r"^\s*(?:$|[.,;:!?)\]-]|(?:and|or|but|on|in|for|to|with|left|now|so|total|maybe|i|it|we|still|"
    r"more|less|over|under|owed|owing|remaining|or\s+so)\b)",
    re.IGNORECASE,
)
# After the amount: it is some other debt or money ("20k in credit card debt", "30k in savings").
_OTHER_MONEY_AFTER_RE = re.compile(
    r"^\s*(?:dollars\s+|bucks\s+)?(?:in|of|on|for)?\s*(?:my\s+|our\s+|the\s+)?(?:credit\s*cards?|student|medical|"
    r"car|auto|personal|payday|business|savings|retirement|401k|cash|stocks?|back\s+taxes|taxes|hoa|income|salary)\b",
    re.IGNORECASE,
)

# Cues before the amount; the nearest one decides.  Order inside the alternation: longer first.
_CUES: List[Tuple[str, Optional[str]]] = [
    # other money / a difference -> no role
    (r"(?:student|car|auto|personal|credit\s*card|medical|payday|business)\s+(?:loans?|debts?|bills?)", None),
    (r"(?:mortgage\s+|monthly\s+|house\s+|loan\s+)?payments?", None),
    (r"monthly|per\s+month|a\s+month", None),
    (r"income|salary|make|makes|making|earn|earns|paycheck|rent|rents|savings|saved|401k|retirement", None),
    (r"bought|buy|purchased?|paid|pay\s+for|down\s+payment|closing\s+costs|taxes|tax\b|hoa|insurance", None),
    (r"underwater|under\s+water|upside[\s-]+down|negative\s+equity|equity|short\s+by|shortfall|deficiency|"
     r"difference|gap|more\s+than|less\s+than|over\s+what|lost|loss|down\s+by|dropped|fell", None),
    # home value
    (r"worth|values?|valued|valuation|apprais\w*|zillow|zestimate|redfin|realtor|agent\s+says|comps?|"
     r"comparables?|market|listed|listing|list\s+(?:it|price)|asking|sell\w*|sold|go\s+for|get\s+for|"
     r"fetch|home\s+is|house\s+is|condo\s+is|place\s+is|property\s+is|estimated?|assessed", HOME_VALUE),
    # loan balance
    (r"owe|owes|owed|owing|balance|payoff|pay\s+off|pay-off|principal|loan|loans|mortgage|mortgages|"
     r"heloc|lien|liens|second|debt|left\s+on|remaining|still\s+have", LOAN_BALANCE),
]
_CUE_RE = re.compile(
    "|".join(r"(?P<c%d>\b(?:%s)\b)" % (i, pat) for i, (pat, _) in enumerate(_CUES)), re.IGNORECASE
)
# Cues right after the amount (when nothing before decides): "260k left on the loan", "a 300k house".
_AFTER_CUES: List[Tuple[str, Optional[str]]] = [
    (r"(?:dollars\s+|bucks\s+)?(?:a|per|/)\s*(?:month|mo|year|yr)|monthly|income|salary|payments?|down|savings|"
     r"student|car|credit", None),
    (r"(?:dollars\s+|bucks\s+)?(?:is\s+)?(?:what\s+)?(?:i|we)\s+(?:still\s+)?owe|"
     r"(?:dollars\s+|bucks\s+)?(?:still\s+)?(?:left|owed|owing|remaining|outstanding)|(?:dollars\s+|bucks\s+)?(?:on|of)\s+"
     r"(?:the|my|our)\s+(?:mortgage|loan|heloc)|(?:dollars\s+|bucks\s+)?(?:mortgage|loan|balance|heloc|"
     r"payoff|principal|lien|in\s+debt)", LOAN_BALANCE),
    (r"(?:dollars\s+|bucks\s+)?(?:home|house|condo|townhouse|townhome|property)\b|"
     r"(?:dollars\s+|bucks\s+)?(?:is\s+)?(?:what\s+)?(?:it'?s|its|it\s+is|the\s+house\s+is|the\s+home\s+is)\s+worth|"
     r"(?:dollars\s+|bucks\s+)?(?:in\s+)?(?:value|market\s+value|appraisal)", HOME_VALUE),
]
_AFTER_RE = re.compile(
    "|".join(r"(?P<a%d>^\s*(?:%s)\b)" % (i, pat) for i, (pat, _) in enumerate(_AFTER_CUES)), re.IGNORECASE
)
# Below this, a home value is implausible and "mortgage"/"loan" + amount means a payment.  Explicit
# balance words still count ("I only owe 8k", "payoff is $4,500").
MIN_PLAUSIBLE = 10_000
_WEAK_LOAN_CUE_RE = re.compile(r"loans?|mortgages?|heloc|liens?|second|debt", re.IGNORECASE)
_SENTENCE_END_RE = re.compile(r"[.!?;\n]\s|[!?;\n]")

MAX_TEXT = 100_000


def format_usd(x: float) -> str:
    """350000 -> "$350,000"; 1234.5 -> "$1,234.50"; -2000 -> "-$2,000" (whole dollars without cents)."""
    x = float(x)
    if not math.isfinite(x):
        raise ValueError("not a finite amount: %r" % x)
    sign = "-" if x < 0 else ""
    dollars = int(abs(x))  # exact for any finite float, however large
    rest = round((abs(x) - dollars) * 100)
    if rest == 100:
        dollars, rest = dollars + 1, 0
    if rest == 0:
        return "%s$%s" % (sign, format(dollars, ","))
    return "%s$%s.%02d" % (sign, format(dollars, ","), rest)


_NEGATIVE_BEFORE_RE = re.compile(r"(?:(?<![\w$.,-])-\s?|\bminus\s+|\bnegative\s+)$", re.I)


def _clean_number(num: str) -> float:
    return float(num.replace(",", ""))


def _scale_value(scale: str) -> float:
    s = scale.strip().lower()
    return _SCALE_VALUES.get(s, 1.0)


def _candidates(text: str, relaxed: bool) -> List[Tuple[int, int, float]]:
    """(start, end, dollars) of amount candidates, left to right, non-overlapping."""
    out: List[Tuple[int, int, float]] = []
    for m in _NUMERIC_RE.finditer(text):
        cur, num, scale, word = m.group("cur"), m.group("num"), m.group("scale"), m.group("word")
        start, end = m.span()
        if num.startswith(".") and not (cur or scale):
            continue
        try:
            value = _clean_number(num)
        except ValueError:  # pragma: no cover - the regex only lets numbers through
            continue
        if scale:
            sc = scale.strip()
            if sc in ("m", "M", "mm", "MM") and re.match(
                r"\s*(?:behind|late|ago|overdue|past|delinquent|old|mark)\b", text[end:end + 20], re.I
            ):
                continue
            value *= _scale_value(sc)
        elif not (cur or word):
            after = text[end:end + 20]
            before = text[max(0, start - 20):start]
            if _NOT_MONEY_AFTER_RE.match(after) or _NOT_MONEY_BEFORE_RE.search(before):
                continue
            if re.fullmatch(r"(?:19|20)[0-9]{2}", num):
                continue  # a year
            if num in ("1098", "1099", "1040", "1040x", "4506"):
                continue  # tax forms ("a 1099", "1099-C")
            if not relaxed and value < 1000:
                continue
        if re.fullmatch(r"40[13]|457", num) and not cur and scale and scale.strip().lower() == "k":
            continue  # a 401k is a retirement account
        if re.match(r"\s*\(\s*[kKbB]\s*\)", text[end:end + 6]) and not cur:
            continue  # 401(k), 403(b)
        if not math.isfinite(value):
            continue
        if _NEGATIVE_BEFORE_RE.search(text[max(0, start - 12):start]):
            value = -value  # "-50000", "minus 50k": kept negative so the form can re-ask
        out.append((start, end, value))
    # number words
    taken = Spans((s, e) for s, e, _ in out)
    for m in _numbers.WORD_RUN_RE.finditer(text):
        s, e = m.span()
        if taken.overlaps(s, e):
            continue
        words = _numbers.tokens(m.group(0))
        # trim leading glue ("and", "of", a lone "a"), trailing glue
        while words and (words[0] in ("and", "of", "point")):
            words = words[1:]
        if not words:
            continue
        after = text[e:e + 20]
        word_m = re.match(r"\s*(?:dollars|dollar|bucks)\b", after, re.IGNORECASE)
        has_scale = any(w in _numbers.SCALES or w == "hundred" for w in words)
        big_scale = any(w in _numbers.SCALES for w in words)
        if not (big_scale or word_m or (relaxed and has_scale)):
            continue
        value = _numbers.words_to_number(words)
        if value is None:
            continue
        if len(words) == 2 and words[0] in ("a", "an") and not word_m and not _A_SCALE_END_RE.match(after):
            continue  # "a million thanks", "a grand idea": an idiom, not an amount
        # exact span: from the first real number word of the match to its end (+ "dollars")
        lead = re.match(r"(?:(?:and|of|point)(?:\s+|\s*-\s*))*", m.group(0), re.IGNORECASE)
        s2 = s + (lead.end() if lead else 0)
        e2 = e + (word_m.end() if word_m else 0)
        out.append((s2, e2, value))
    out.sort()
    return out


def _role(text: str, start: int, end: int, prev_end: int, next_start: int, value: float) -> Optional[str]:
    # left window: same sentence, after the previous amount, at most 80 characters
    lo = max(prev_end, start - 80, 0)
    left = text[lo:start]
    ends = list(_SENTENCE_END_RE.finditer(left))
    if ends:
        left = left[ends[-1].end():]
    hi = min(next_start, end + 60, len(text))
    right = text[end:hi]
    stop = _SENTENCE_END_RE.search(right)
    if stop:
        right = right[:stop.start()]
    if _DIFFERENCE_AFTER_RE.match(right) or _MONTHLY_AFTER_RE.match(right) or _OTHER_MONEY_AFTER_RE.match(right):
        return None
    last = None
    for m in _CUE_RE.finditer(left):
        last = m
    role = None
    if last is not None:
        role = _CUES[int(last.lastgroup[1:])][1]
        weak = _WEAK_LOAN_CUE_RE.fullmatch(last.group(0)) is not None
    else:
        m = _AFTER_RE.match(right)
        if m:
            role = _AFTER_CUES[int(m.lastgroup[1:])][1]
        weak = True
    if role is not None and value < MIN_PLAUSIBLE and (role == HOME_VALUE or weak):
        return None  # "my mortgage is $2,400": a payment, not a balance; no home is worth $5,000
    return role


def find(text: str) -> List[Mention]:
    """Dollar amounts in a sentence with their role ("home_value" / "loan_balance" / None)."""
    if not isinstance(text, str) or not text:
        return []
    text_ = text[:MAX_TEXT]
    cands = _candidates(text_, relaxed=False)
    out: List[Mention] = []
    for i, (s, e, v) in enumerate(cands):
        prev_end = cands[i - 1][1] if i > 0 else 0
        next_start = cands[i + 1][0] if i + 1 < len(cands) else len(text_)
        out.append(Mention(s, e, text_[s:e], v, _role(text_, s, e, prev_end, next_start, v)))
    return out


def parse(text: str) -> Optional[float]:
    """The amount of a short answer ("$350,000", "350k", "1.2 million", "about 190000", "350"), else None.

    None when the text holds no amount or two different amounts ("300k or 350k").
    """
    if not isinstance(text, str) or not text.strip() or len(text) > 1000:
        return None
    values = {v for _, _, v in _candidates(text, relaxed=True)}
    if len(values) != 1:
        return None
    return values.pop()
