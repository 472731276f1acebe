"""End-to-end benchmark (``make bench``): this bot against the bot ``rasa init`` creates.

``python -m bench`` trains the ``rasa init`` reference bot in a temporary folder, times a
from-scratch ``rasa train`` of both bots, serves each bot with its own action server and the
tracker store it ships with (this bot: SQLite; the reference: in-memory), drives both over the
REST channel with the same messages (bench/harness.py), profiles this bot's turns under cProfile
(bench/profile_server.py) and writes results/bench.md, results/bench.png and results/bench.json
(bench/report.py). ``python -m bench --quick`` is a shorter run for development.
"""
