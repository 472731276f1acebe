"""Drives a bot over the REST channel (``/webhooks/rest/webhook``) with the same messages for both
bots, and times every turn on the client side (request sent -> all replies received).

- ``SIDE_BY_SIDE``: 13 messages (FAQ, state questions, the start of a scenario), one conversation;
- ``SCENARIO``: a full scenario (facts, the form's questions, assessment, what-if, comparison);
- ``MIX`` = both, as two conversations: the sequential scripted mix;
- ``LONG``: one conversation alternating "hi" / "thanks" (latency by turn number).
The reference bot gets the same texts and answers whatever it answers.
"""
from __future__ import annotations

import asyncio
import statistics
import time
import uuid
from dataclasses import dataclass, field
from typing import Any, Dict, List, Optional, Sequence

import aiohttp

SIDE_BY_SIDE: List[str] = [
    "hi",
    "what does it mean to walk away from a mortgage?",
    "can the bank sue me for what's left after foreclosure?",
    "how bad will a foreclosure hurt my credit?",
    "what is a short sale?",
    "what is a deed in lieu of foreclosure?",
    "is arizona a non recourse state?",
    "what about texas?",
    "which states are non recourse?",
    "how long does foreclosure take in Florida?",
    "I'm underwater, what should I do?",
    "I'm in Ohio",
    "it's worth about 250k",
]

SCENARIO: List[str] = [
    "hi",
    "I'm in Texas, it's worth 200k, I owe 260k and I'm 2 months behind",
    "no, just the one mortgage",
    "it's my home, I live there",
    "we bought it with a regular mortgage",
    "yes, I lost my job",
    "I'd like to keep it if I can",
    "what if it's worth 300k",
    "compare short sale vs deed in lieu",
    "thanks",
    "bye",
]

MIX: List[List[str]] = [SIDE_BY_SIDE, SCENARIO]


def long_conversation(turns: int) -> List[str]:
    return ["hi" if i % 2 == 0 else "thanks" for i in range(turns)]


@dataclass
class Turn:
    text: str
    seconds: float
    ok: bool
    reply: str = ""
    error: str = ""


@dataclass
class Conversation:
    sender: str
    turns: List[Turn] = field(default_factory=list)


def percentile(values: Sequence[float], q: float) -> float:
    """The q-th percentile (0-100), linear interpolation between closest ranks."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    if len(ordered) == 1:
        return ordered[0]
    rank = (len(ordered) - 1) * q / 100
    low = int(rank)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


def summary_ms(turns: Sequence[Turn]) -> Dict[str, Any]:
    ms = [t.seconds * 1000 for t in turns if t.ok]
    return {
        "turns": len(turns),
        "errors": sum(not t.ok for t in turns),
        "p50_ms": percentile(ms, 50),
        "p95_ms": percentile(ms, 95),
        "p99_ms": percentile(ms, 99),
        "mean_ms": statistics.mean(ms) if ms else float("nan"),
        "max_ms": max(ms) if ms else float("nan"),
    }


class Client:
    """One bot's REST channel."""

    def __init__(self, url: str, timeout: float = 300) -> None:
        self.webhook = f"{url}/webhooks/rest/webhook"
        self.timeout = aiohttp.ClientTimeout(total=timeout)

    async def turn(self, session: aiohttp.ClientSession, sender: str, text: str) -> Turn:
        started = time.perf_counter()
        try:
            async with session.post(self.webhook, json={"sender": sender, "message": text}) as r:
                body = await r.json(content_type=None)
                seconds = time.perf_counter() - started
                if r.status != 200 or not isinstance(body, list):
                    return Turn(text, seconds, False, error=f"HTTP {r.status}: {str(body)[:200]}")
        except Exception as e:  # noqa: BLE001 - an error is a result here
            return Turn(text, time.perf_counter() - started, False,
                        error=f"{type(e).__name__}: {e}"[:200])
        reply = "\n".join(str(m.get("text", "")) for m in body if isinstance(m, dict))
        # a turn with no reply at all counts as an error (every bot should answer every message)
        return Turn(text, seconds, bool(body), reply, "" if body else "no reply")

    async def conversation(self, session: aiohttp.ClientSession, texts: Sequence[str],
                           prefix: str, on_turn=None) -> Conversation:
        conv = Conversation(f"bench-{prefix}-{uuid.uuid4().hex[:10]}")
        for text in texts:
            turn = await self.turn(session, conv.sender, text)
            conv.turns.append(turn)
            if on_turn is not None:
                on_turn(len(conv.turns), turn)
        return conv

    def session(self) -> aiohttp.ClientSession:
        return aiohttp.ClientSession(timeout=self.timeout,
                                     connector=aiohttp.TCPConnector(limit=0, force_close=False))

    # ---------------------------------------------------------------- phases

    async def sequential(self, conversations: Sequence[Sequence[str]], reps: int,
                         prefix: str) -> List[Conversation]:
        """Each script ``reps`` times, one turn at a time, a new sender for every conversation."""
        out = []
        async with self.session() as session:
            for rep in range(reps):
                for i, texts in enumerate(conversations):
                    out.append(await self.conversation(session, texts, f"{prefix}{rep}-{i}"))
        return out

    async def concurrent(self, texts: Sequence[str], concurrency: int,
                         conversations: int) -> Dict[str, Any]:
        """``conversations`` conversations (distinct senders), ``concurrency`` at a time."""
        gate = asyncio.Semaphore(concurrency)
        async with self.session() as session:

            async def one(i: int) -> Conversation:
                async with gate:
                    return await self.conversation(session, texts, f"c{concurrency}-{i}")

            started = time.perf_counter()
            convs = await asyncio.gather(*(one(i) for i in range(conversations)))
            wall = time.perf_counter() - started
        turns = [t for c in convs for t in c.turns]
        result = summary_ms(turns)
        result.update(
            concurrency=concurrency,
            conversations=conversations,
            wall_s=wall,
            turns_per_s=sum(t.ok for t in turns) / wall,
            error_samples=[t.error for t in turns if not t.ok][:3],
        )
        return result

    async def long(self, turns: int, progress=None) -> List[Turn]:
        async with self.session() as session:
            conv = await self.conversation(session, long_conversation(turns), "long", progress)
        return conv.turns


def run(coro):
    return asyncio.run(coro)


def scenario_checks(convs: Sequence[Conversation]) -> Dict[str, bool]:
    """Did the scripted scenario reach the assessment and the comparison (this bot's content)?"""
    replies = [t.reply for c in convs for t in c.turns if t.text in SCENARIO]
    joined = "\n".join(replies)
    return {
        "assessment reached ('Where you stand' in a reply)": "Where you stand" in joined,
        "comparison table ('| Short sale |' in a reply)": "| Short sale |" in joined,
    }


def by_message(convs: Sequence[Conversation], texts: Sequence[str]) -> Dict[str, float]:
    """Median latency (ms) per message of ``texts`` over the conversations that ran that script."""
    out: Dict[str, float] = {}
    for i, text in enumerate(texts):
        ms = [c.turns[i].seconds * 1000 for c in convs
              if len(c.turns) > i and c.turns[i].text == text and c.turns[i].ok
              and [t.text for t in c.turns] == list(texts)]
        out[text] = statistics.median(ms) if ms else float("nan")
    return out


def window_mean_ms(turns: Sequence[Turn], first: int, last: int) -> Optional[float]:
    """Mean latency of turns ``first``..``last`` (1-based, inclusive)."""
    ms = [t.seconds * 1000 for t in turns[first - 1 : last] if t.ok]
    return statistics.mean(ms) if ms else None
