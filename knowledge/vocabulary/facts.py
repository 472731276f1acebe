"""Phrase data for the categorical scenario facts: payment status, occupancy, loan purpose, hardship,
goal, skip/stop, and "no balance" / "no second loan" amounts.  Pure data; no spaCy import.

``bot.nlu.fact_patterns`` turns it into spaCy entity_ruler patterns and NegEx termsets at set-up.

**Phrases.**  Each phrase is a space-separated list of words; every word is one token pattern:

* ``lose``     any inflection of the word, any case (spaCy LEMMA from spacy-lookups-data: "lost",
  "losing", "LOSES"); a word with no inflections in the table matches its spelling in any case;
* ``=missed``  that spelling only, any case (``=missed`` is not "miss": "what if I miss one");
* ``<home>``   one word of :data:`WORD_CLASSES`;
* ``^refi``    the word at the start of a sentence (a short answer: "refi", "Current.");
* ``!^heloc``  the word anywhere but at the start of a sentence;
* a trailing ``?`` makes the word optional (``cash -? out`` is "cash-out" and "cash out").

Words with an apostrophe are split the way the tokenizer splits them ("don't" is "do" + "n't"), so
``do not want`` also matches "don't want", "dont want" and "didn't want".

**Readings.**  A :class:`Fact` says what its phrases mean when asserted (``said``, and ``also``:
more readings of the same words, "the tenant stopped paying" is a hardship and a rental) and when a
negation cue governs them (``negated``).  ``None`` means "nothing": a negated mention never gives the
value it negates, and only some flip on purpose ("never been late" -> current, "no real hardship" ->
hardship false, "no heloc" -> a second lien of $0).  A mention under a hypothetical cue ("what if I
fall behind", "should I sell") gives nothing.  :data:`NOT_FACTS` are longer phrases that hide a
fact word used for something else ("a bad investment", "sick of paying", "stop paying").
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Dict, Optional, Tuple


@dataclass(frozen=True)
class Reading:
    """One entity value: ``{"entity": entity, "value": value, "role": role}`` (role optional)."""

    entity: str
    value: Any
    role: Optional[str] = None


@dataclass(frozen=True)
class Fact:
    """Phrases with one meaning; ``key`` is the entity_ruler pattern id; ``also``: readings an
    asserted phrase gives besides ``said``."""

    key: str
    said: Optional[Reading]
    negated: Optional[Reading]
    phrases: Tuple[str, ...]
    also: Tuple[Reading, ...] = ()


#: Word classes usable in phrases as ``<name>``: spaCy token-pattern dicts.
WORD_CLASSES: Dict[str, Dict[str, Any]] = {
    "poss": {"LOWER": {"IN": ["my", "our", "his", "her", "their", "the"]}},
    "mine": {"LOWER": {"IN": ["my", "our"]}},
    "det": {"LOWER": {"IN": ["a", "an", "the", "this", "that", "my", "our", "his", "her", "their"]}},
    "home": {"LEMMA": {"IN": ["house", "home", "place", "condo", "property", "townhouse", "townhome",
                              "unit", "duplex", "cabin"]}},
    "be": {"LOWER": {"IN": ["is", "'s", "am", "'m", "m", "are", "'re", "re", "was", "were", "be", "been",
                            "its", "s", "r"]}},  # "s": "thats" is "that" + "s"
    "we": {"LOWER": {"IN": ["i", "we", "me", "us"]}},
    "subj": {"LOWER": {"IN": ["it", "its", "that", "this", "loan", "mortgage", "one", "ours", "mine"]}},
    "family": {"LOWER": {"IN": ["husband", "hubby", "wife", "spouse", "partner", "dad", "father", "mom",
                                "mother", "son", "daughter", "brother", "sister"]}},
    "want": {"LEMMA": {"IN": ["want", "plan", "hope", "like", "wish", "prefer", "need", "try", "intend",
                              "decide", "ready", "love", "choose"]}},
    "num": {"LIKE_NUM": True},
    # a word after "current" that makes it an adjective ("current value", "current job")
    "noun": {"IS_ALPHA": True, "LOWER": {"NOT_IN": [
        "on", "with", "and", "but", "so", "no", "never", "now", "too", "though", "not", "since", "as",
        "yes", "i", "we", "thank", "thanks", "right", "still", "again", "yet", "all", "through", "thru",
        "until", "till", "til", "up", "at", "for", "just", "nothing", "or", "ok", "okay", "lol", "haha",
        "anymore", "either", "tho", "atm", "rn", "because"]}},
    "pay": {"LEMMA": {"IN": ["payment", "mortgage", "note", "loan", "bill"]}},
    # who rents the home from the owner, with the usual misspellings
    "tenant": {"LOWER": {"IN": ["tenant", "tenants", "renter", "renters", "tennant", "tennants", "tenent",
                                "tenents"]}},
    # a word that only softens a short answer ("just walk away", "prob sell")
    "soft": {"LOWER": {"IN": ["just", "probably", "prob", "prolly", "honestly", "likely", "definitely", "def",
                              "defo", "realistically", "ideally"]}},
    "notmine": {"LOWER": {"IN": ["heloc", "second", "2nd", "car", "truck", "credit", "student", "cards",
                                 "card", "debt", "debts", "boat", "other"]}},
}

#: Inflections spacy-lookups-data lacks (added to the lookup lemmatizer's table at set-up).
LEMMA_EXTRA: Dict[str, str] = {
    "helocs": "heloc", "refis": "refi", "refied": "refi", "refi'd": "refi", "refid": "refi",
    "furloughed": "furlough", "acers": "acre", "acerage": "acreage", "heloc'd": "heloc", "heloced": "heloc",
    "helocd": "heloc",
}

_R = Reading  # brevity below

FACTS: Tuple[Fact, ...] = (
    # --- payment_status ----------------------------------------------------------------------------
    Fact("payment_status=behind", _R("payment_status", "behind"), _R("payment_status", "current"), (
        "behind", "=missed <det>? payment", "=missed <num> payment", "=missed <num>", "=missed one",
        "=missed any", "=missed some", "=missed a few", "=missed a couple", "=missed <poss> mortgage",
        "=missed last", "=missed <det> last", "delinquent", "delinquency", "in default", "=defaulted",
        "arrears", "past due", "=stopped paying", "=stopped making <det>? payment", "=quit paying",
        "=been late", "late on <det>? <pay>", "=late payment", "=late payments", "<num> day late",
        "<num>? month late", "=skipped <det>? payment", "=skipped <num>", "have not =paid",
        "have not been =paying", "not =paying", "not making <det>? payment", "ca not make <det>? payment",
        "can not make <det>? payment", "could not make <det>? payment", "ca not pay <det>? mortgage",
        "can not pay <det>? mortgage",
    )),
    Fact("payment_status=current", _R("payment_status", "current"), _R("payment_status", "behind"), (
        "current", "<be> current", "current on", "current with", "all current", "still current",
        "up to date", "up -? to -? date", "=caught up", "on time", "still paying",
        "still making <det>? payment", "=paying every month", "make every payment", "never late",
        "not late", "keep up with <det>? payment", "=paid every month", "in good standing",
    )),
    # --- occupancy -----------------------------------------------------------------------------------
    Fact("occupancy=investment", _R("occupancy", "investment"), None, (
        "rental", "rental property", "rent it", "rent it out", "rent <det> <home> out", "rent out",
        "tenant", "renter", "investment property", "investment <home>", "as an investment",
        "for investment", "^investment", "<be> an investment", "landlord", "income property", "airbnb",
        "vrbo", "short term rental", "=flip", "non -? owner -? occupied",
    )),
    Fact("occupancy=second_home", _R("occupancy", "second_home"), None, (
        "second home", "2nd home", "second residence", "vacation home", "vacation house", "vacation place",
        "vacation property", "vacation condo", "vacation cabin", "cabin", "beach house", "beach home",
        "beach condo", "beach place", "lake house", "lake home", "weekend place", "weekend home",
        "holiday home", "summer home", "summer house", "ski condo", "ski cabin", "snowbird <home>",
        "winter home", "winter place",
    )),
    Fact("occupancy=primary", _R("occupancy", "primary"), None, (
        "live there", "live in it", "live in <det>? <home>", "=living there", "=living in it",
        "=living in <det> <home>", "primary residence", "primary home", "<be> <mine> primary", "main residence",
        "main home", "principal residence", "^primary", "it <be> primary", "=its primary", "owner -? occupied",
        "<mine> homestead", "^homestead",
        "homestead exemption", "=moved back in", "<be> <mine> home", "<poss> family home", "<mine> only home",
        "reside there", "reside in it", "<poss> <home> <we> live in", "<mine> residence",
        "where <we> live", "<we> live here", "<be> <mine> house", "its <mine> house", "its <mine> home",
    )),
    # --- loan_purpose (of the first mortgage) --------------------------------------------------------
    Fact("loan_purpose=purchase", _R("loan_purpose", "purchase"), None, (
        "=bought it with", "=bought <det> <home> with", "=bought with", "loan <we> =bought",
        "mortgage <we> =bought", "loan <we> got when <we> =bought", "mortgage <we> got when <we> =bought",
        "from when <we> =bought", "purchase loan", "purchase mortgage", "purchase money", "^purchase",
        "original loan", "original mortgage", "used it to buy", "loan to buy", "mortgage to buy",
    )),
    Fact("loan_purpose=refinance", _R("loan_purpose", "refinance"), _R("loan_purpose", "purchase"), (
        "=refinanced", "re -? =financed", "=refi'd", "=refied", "=refid", "<det> refi", "<det> refinance",
        "straight refi", "regular refi", "normal refi", "fha refi", "va refi", "conventional refi",
        "refi loan", "refinance loan", "^refi", "^refinance", "rate -? and -? term", "rate / term",
        "streamline refi",
    )),
    Fact("loan_purpose=cash_out", _R("loan_purpose", "cash_out"), None, (
        "cash -? out", "cashout", "cash -? out refi", "cash -? out refinance", "=took cash out",
        "=pulled cash out", "=pulled out cash", "=took equity out", "=took out <det>? equity",
        "=pulled equity out", "=pulled out equity", "=took money out", "=pulled money out", "=cashed out",
        "=took out cash",
    )),
    # A HELOC is the loan asked about only when the user says so; else it is a second lien.
    Fact("loan_purpose=heloc", _R("loan_purpose", "heloc"), _R("amount", 0, "second_lien"), (
        "^heloc", "^home -? equity loan", "^home -? equity line", "<subj> <be> a heloc",
        "<subj> <be> a home -? equity loan", "<subj> <be> a home -? equity line", "only <det>? heloc",
        "just <det>? heloc", "heloc only", "only have <det>? heloc", "just have <det>? heloc",
        "<subj> <be> <det> heloc loan", "heloc as <mine> only", "heloc as <det> first",
    )),
    # An 80/20 is two loans taken out to buy the home: the first mortgage is a purchase loan.
    Fact("loan_purpose=piggyback", _R("loan_purpose", "purchase"), _R("amount", 0, "second_lien"), (
        "piggyback", "piggy -? back", "80/20", "80 -? 20 loan", "80 / 20",
    ), also=(_R("second_lien_purpose", "purchase"),)),
    # Second liens: the amount extractor reads their balance; here only "there is none".
    Fact("second_lien=none", _R("amount", 0, "second_lien"), None, (
        "just the one loan", "only the one loan", "only one loan", "just one loan", "only one mortgage",
        "just one mortgage", "just the one mortgage", "only the one mortgage", "no other loan",
        "no other mortgage", "no other lien", "just the first mortgage", "only the first mortgage",
        "no second", "no 2nd", "second mortgage <be> paid off", "2nd mortgage <be> paid off",
        "second <be> paid off", "heloc <be> paid off", "=paid off the heloc", "=paid off the second",
        "=paid off <mine> heloc", "1st mortgage only", "first mortgage only",
    )),
    Fact("second_lien=mentioned", None, _R("amount", 0, "second_lien"), (
        "!^heloc", "!^home -? equity loan", "!^home -? equity line", "home equity line of credit",
        "equity line", "line of credit", "second mortgage", "2nd mortgage", "second lien", "2nd lien",
        "second loan", "2nd loan", "second position",
    )),
    # --- hardship ------------------------------------------------------------------------------------
    Fact("hardship=reported", _R("hardship", True), _R("hardship", False), (
        "hardship", "financial hardship", "financial trouble", "financial problem", "money trouble",
        "money problem", "financial difficulty",
    )),
    # "no job loss or anything like that": the "like that" makes the negation general
    Fact("hardship=any", None, _R("hardship", False), ("anything like that", "anything like this")),
    # The landlord's hardship: the tenant, not the owner, stopped paying (no payment_status), and a
    # tenant means a rental.  Longer than "stopped paying" / "not paying", so those words give no "behind".
    Fact("hardship=tenant", _R("hardship", True), None, (
        "<tenant> stop paying", "<tenant> quit paying", "<tenant> <be>? not paying", "<tenant> do not pay",
        "<tenant> have not paid", "<tenant> have not been paying", "<tenant> <be> behind",
        "<tenant> <be> <num> month behind", "<tenant> fall behind", "<tenant> =stiffed", "<tenant> move out", "<tenant> leave", "<tenant> =bailed", "<tenant> =skipped out",
        "<tenant> <be> gone", "<tenant> =trashed", "<tenant> =destroyed", "=lost <poss> <tenant>",
        "can not find <det>? <tenant>", "ca not find <det>? <tenant>", "could not find <det>? <tenant>",
        "can not get <det>? <tenant>", "ca not get <det>? <tenant>", "could not get <det>? <tenant>",
        "can not rent it", "ca not rent it", "could not rent it", "can not rent it out", "ca not rent it out",
        "could not rent it out",
    ), also=(_R("occupancy", "investment"),)),
    Fact("hardship=true", _R("hardship", True), None, (
        "lose <poss> job", "lose <poss> income", "lose <poss> business", "job loss", "lay off", "layoff",
        "=fired", "unemployed", "unemployment", "out of work", "jobless", "furlough", "between jobs",
        "lose work", "divorce", "=separated", "separation", "=split up", "=broke up", "medical",
        "illness", "=sick", "cancer", "surgery", "hospital", "hospitalize", "injury", "injure",
        "=got hurt", "hurt at work", "=disabled", "disability", "stroke", "heart attack", "chemo", "die",
        "pass away", "<family> =passed", "death", "widow", "=widowed", "rate reset", "arm reset",
        "rate =went up", "rate adjust", "arm adjust", "payment =went up", "payment double",
        "payment jump", "payment increase", "pay cut", "hour cut", "hour get cut", "hour be cut",
        "cut <poss> hour", "reduced hour", "hour reduce", "hour be reduce", "hour get reduce",
        "income drop", "income =went down", "lose income", "business fail", "business close",
        "business =went under", "business that =failed", "=deployed", "deployment", "ca not afford",
        "can not afford", "could not afford", "no longer afford", "=flooded", "flood damage", "wildfire",
        "house fire", "natural disaster", "=had a baby", "new baby",
        # money running out, however it is said
        "=drowning", "no savings", "no more savings", "savings <be> gone", "=drained <poss>? savings",
        "=draining <poss>? savings", "burn through <poss>? savings", "out of savings", "paycheck to paycheck",
        "bill <be>? =piling up", "bill pile up", "=struggling to pay", "=struggling to make", "=struggling to keep up",
        "=struggling financially", "financially =struggling", "<we> <be> broke",
    )),
    Fact("hardship=none", _R("hardship", False), None, (
        "nothing happened", "nothing like that", "nothing really", "nothing changed", "can afford",
        "can still afford", "could afford", "could still afford", "income <be> fine", "income <be> stable",
        "income <be> ok", "income <be> good", "strategic", "just do not want to pay",
        "money <be> not the issue", "money <be> not the problem", "financially fine", "fine financially",
        "nothing bad happened",
    )),
    # --- goal ----------------------------------------------------------------------------------------
    Fact("goal=keep_home", _R("goal", "keep_home"), None, (
        "=keep it", "=keeping it", "=keep <det> <home>", "=keeping <det> <home>", "<want> to keep",
        "<want> to stay", "stay in <det>? <home>", "stay put", "save <det> <home>", "save it", "^keep",
        "^stay", "rather keep", "rather stay", "do not want to lose", "do not want to leave",
        "do not want to sell", "do not want to move", "do not want to walk away", "do not want to give it up",
        "do not want to give up", "hold on to it", "hold onto it", "hang on to it", "=wanna keep",
        "=wanna stay", "do not =wanna lose", "do not =wanna leave", "do not =wanna sell",
        "do not =wanna walk away",
    )),
    Fact("goal=leave_home", _R("goal", "leave_home"), None, (
        "^=walk away", "^<soft> <soft>? <soft>? =walk away", "^<soft> <soft>? <soft>? sell", "=get out from under",
        "=getting out from under", "<want> to walk away", "<want> to leave", "<want> to sell", "want out", "need out",
        "<want> to get out", "<want> to be =done", "<be> =done with it", "=done with <det> <home>",
        "=done with it", "get rid of", "<want> to move", "<want> to let it go", "let it go",
        "give it back", "hand back the keys", "hand the keys back", "dump it", "dump <det> <home>",
        "unload it", "offload it", "^sell", "sell it", "sell <det> <home>", "do not want it",
        "do not want <det> <home>", "do not want it anymore", "do not want to keep it",
        "do not want to keep <det> <home>", "<want> to get rid", "rather sell", "rather walk away",
        "rather leave", "rather not keep", "not =keeping it", "not interested in =keeping",
        "not going to keep it", "<want> to dump", "<want> to unload", "<want> to give it back",
        "=going to sell", "=going to walk away", "gon na sell", "gon na walk away", "=wanna sell",
        "=wanna walk away", "=wanna leave", "=wanna get out", "do not =wanna keep it",
    )),
    Fact("goal=undecided", _R("goal", "undecided"), None, (
        "not sure yet", "undecided", "torn", "on the fence", "have not decided", "not decided",
        "still deciding", "ca not decide", "can not decide", "weighing <poss>? option",
        "not sure if <we> <want>", "not sure if <we> should", "not sure whether", "not sure what <we> <want>",
        "not sure what to do", "do not know what to do", "do not know if <we> <want>", "do not know whether",
        "unsure", "open to either", "open to both", "open to anything", "not sure which",
        "figure out what <we> <want>",
    )),
    # --- scenario_control ----------------------------------------------------------------------------
    Fact("scenario_control=skip", _R("scenario_control", "skip"), None, (
        "^=skip", "skip it", "skip this", "skip that", "skip the question", "skip this one", "^=pass",
        "^=next", "rather not say", "prefer not to say", "rather not answer", "prefer not to answer",
        "rather not tell", "rather not share", "do not know", "idk", "no idea", "no clue", "dunno",
        "not sure", "do not want to say", "none of your business", "no comment", "not telling",
        "^=unknown",
    )),
    Fact("scenario_control=stop", _R("scenario_control", "stop"), None, (
        "stop asking", "stop the questions", "stop this", "^=stop", "^=cancel", "^=quit", "^=exit",
        "^=enough", "enough questions", "never mind", "nevermind", "not now", "do this later",
        "finish this later", "let 's stop", "lets stop", "that 's enough", "maybe later", "^=later",
    )),
    # --- a home without a mortgage --------------------------------------------------------------------
    Fact("loan_balance=none", _R("amount", 0, "loan_balance"), None, (
        "free and clear", "own it outright", "own <det> <home> outright", "<be> paid off",
        "<be> fully paid off", "=paid it off", "=paid off <det> <home>", "=paid off <det> mortgage",
        "=paid off <det> loan", "no mortgage", "no loan on it", "no mortgage on it", "do not owe anything",
        "owe nothing", "owe zero", "nothing owed", "zero balance", "0 balance", "mortgage -? free",
        "^=paid off",
    )),
)

#: Longer phrases that hide a fact word used for something else.
NOT_FACTS: Tuple[str, ...] = (
    # investment as a judgement, not an occupancy
    "bad investment", "good investment", "terrible investment", "horrible investment", "poor investment",
    "worst investment", "great investment", "lousy investment", "awful investment", "smart investment",
    "best investment", "investment now", "<be> an investment now", "investment account",
    # rentals that are not the home
    "live in a rental", "in a rental now", "move into a rental", "rental car", "rental market",
    "rental price", "rental rate", "rental history", "rental assistance", "<mine> landlord",
    # paying questions, other debts
    "=stop paying", "=stop making", "quit <poss> job", "have not =paid off", "have not =paid it off",
    "<notmine> <be> paid off", "<notmine> loan <be> paid off", "current <noun>",
    # sick and tired, figurative
    "sick of", "sick and tired", "fire sale", "death spiral", "flood zone", "flood insurance",
    "medical school", "hardship letter", "hardship program", "hardship affidavit",
    "=drowning in <det>? negative equity", "=drowning in equity",
    # loan words in wishes and other accounts
    "<want> a refi", "<want> a refinance", "<want> to refi", "to cash out", "cash out <poss>? 401k",
    "business line of credit", "line of credit on the business",
    # "primary" of a loan, not of the home
    "primary <pay>", "primary lien", "primary lender", "primary servicer", "primary reason", "primary concern",
    "primary goal", "primary borrower", "primary income",
    # goal words that are not the user's goal
    "do not want it to", "do not want the <home> to", "no second home", "no 2nd home",
    "no second thought", "no second opinion",
    "keep it up", "keep it simple", "keep it short", "keep in mind", "keep me posted",
    "keep it from", "short sell", "short -? sell", "get rid of pmi", "get rid of the pmi",
    "stay current",
    # skip/stop words that are not a request
    "not sure how", "next month", "next year", "next week", "next payment", "passed the",
    "later this year", "later on",
)

#: NegEx termset of negspacy for negation (its PhraseMatcher reads LOWER: "n't" and "nt" both).
#: "isn't", "wasn't", "don't have", "no real", "not really", "nothing like" are covered by the
#: single cues "n't", "no", "not", "nothing".
NEGATION_TERMSET: Dict[str, Tuple[str, ...]] = {
    "preceding_negations": (
        "no", "not", "n't", "nt", "never", "without", "none", "neither", "nor", "no longer", "used to",
        "nothing", "zero", "rather than", "nobody", "no one", "noone",
    ),
    "following_negations": (
        "not anymore", "no longer", "is not an issue", "isn't an issue", "isnt an issue", "not an issue",
        "not a problem", "not a factor", "is not the case", "isn't the case", "never happened",
    ),
    "pseudo_negations": (
        "no doubt", "no matter", "not only",
        "no problem", "not just", "nothing but", "not sure", "don't know", "dont know", "do not know",
        "no idea", "no clue", "can't afford", "cant afford", "cannot afford", "couldn't afford",
        "couldnt afford", "can't make", "cant make", "couldn't make", "haven't paid", "havent paid",
        "have not paid", "not paying", "not making",
    ),
    "termination": (
        ",", ";", "—", "–", "--", "but", "just", "though", "however", "although", "except", "yet",
        "actually", "because", "since", "so", "anymore", "now", "then", "and we", "and i", "and it",
        "and my", "and our", "plus", "also", "which", "while", "whereas", "otherwise", "only", "still",
    ),
}

#: Cues that make a mention hypothetical or a question: it gives no reading at all.
HYPOTHETICAL_TERMSET: Dict[str, Tuple[str, ...]] = {
    "preceding_negations": (
        "if", "whether", "should i", "should we", "can i", "can we", "could i", "could we", "would i",
        "would we", "do i", "do we", "not sure", "unsure", "don't know", "dont know", "do not know",
        "no idea", "wondering", "wonder", "afraid", "worried", "scared", "might", "thinking about",
        "thinking of", "considering", "in case", "how do i", "how do we", "how can i", "how can we",
        "possible to", "have to be", "need to be",
    ),
    "following_negations": ("better than", "a good idea", "a better option", "an option", "worth it ?"),
    "pseudo_negations": ("even if", "as if", "if so", "if that matters", "if it matters"),
    # a hypothetical reaches past "just"/"still"/"only" ("should we just let it go")
    "termination": tuple(t for t in NEGATION_TERMSET["termination"]
                         if t not in ("just", "only", "still", "yet", "anymore", "also", "plus", "actually")),
}


def all_facts() -> Tuple[Fact, ...]:
    """:data:`FACTS` and the per-lien facts of :mod:`knowledge.vocabulary.lien_facts` (fact ruler)."""
    from knowledge.vocabulary import lien_facts  # it imports Fact and Reading from here

    return FACTS + lien_facts.FACTS


def word_classes() -> Dict[str, Dict[str, Any]]:
    """:data:`WORD_CLASSES` with those of :mod:`knowledge.vocabulary.lien_facts`."""
    from knowledge.vocabulary import lien_facts

    return {**WORD_CLASSES, **lien_facts.WORD_CLASSES}


@lru_cache(maxsize=None)
def _by_key() -> Dict[str, Fact]:
    from knowledge.vocabulary import lien_facts

    every = all_facts() + lien_facts.SPAN_FACTS
    keys = [f.key for f in every]
    if len(set(keys)) != len(keys):
        raise ValueError("facts: duplicate Fact keys")
    return {f.key: f for f in every}


def by_key(key: str) -> Optional[Fact]:
    """The :class:`Fact` whose pattern id is ``key`` ("occupancy=investment"), or None."""
    return _by_key().get(key)
