"""The reference: the bot ``rasa init`` creates, trained in a temporary folder, and the command lines
that train and serve both bots.

``rasa init --no-prompt`` is ``create_initial_project`` followed by ``rasa train``; the two steps are
run separately so the training is timed on its own. Both trainings start from an empty Rasa cache
(RASA_CACHE_DIRECTORY in a temporary folder), so they are trainings from scratch.
"""
from __future__ import annotations

import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Dict, List, Optional

from bench.procs import RASA, ROOT, base_env, log, run_timed

THIS_MODEL = ROOT / "models" / "walkaway.tar.gz"


@dataclass
class Bot:
    """How to serve one bot: the folder to run in, its model, endpoints and environment."""

    name: str
    folder: Path
    model: Path
    endpoints: Path
    credentials: Path
    env: Dict[str, str]
    train_seconds: Optional[float] = None

    def rasa_cmd(self, port: int) -> List[str]:
        return [str(RASA), "run", "--model", str(self.model), "--endpoints", str(self.endpoints),
                "--credentials", str(self.credentials), "--port", str(port),
                "--interface", "127.0.0.1"]

    def actions_cmd(self, port: int) -> List[str]:
        return [str(RASA), "run", "actions", "--actions", "actions", "--port", str(port)]


def _write_credentials(folder: Path) -> Path:
    # the REST channel only, for both bots (the channel the harness speaks)
    path = folder / "bench-credentials.yml"
    path.write_text("rest: {}\n")
    return path


def prepare_reference(work: Path, logs: Path, reuse: Optional[Path] = None) -> Bot:
    """Scaffold the ``rasa init`` project in ``work``/reference and time its ``rasa train``.

    ``reuse``: a folder from an earlier run with a trained model (no training, no training time).
    """
    folder = reuse if reuse is not None else work / "reference"
    env = base_env()
    train_seconds = None
    models = sorted((folder / "models").glob("*.tar.gz")) if reuse is not None else []
    if not models:
        folder.mkdir(parents=True, exist_ok=True)
        log(f"reference: `rasa init` project in {folder}")
        subprocess.run(
            [sys.executable, "-c",
             "import sys; from rasa.cli.scaffold import create_initial_project; "
             "create_initial_project(sys.argv[1])", str(folder)],
            check=True, env=env, cwd=folder,
        )
        log("reference: training (rasa train, empty cache) ...")
        train_env = base_env(RASA_CACHE_DIRECTORY=str(work / "cache-reference"))
        train_seconds = run_timed("reference training", [str(RASA), "train"], folder, train_env,
                                  logs / "train-reference.log")
        log(f"reference: trained in {train_seconds:.0f} s")
        models = sorted((folder / "models").glob("*.tar.gz"))
    else:
        log(f"reference: reusing the trained project in {folder} (no training time)")
    if not models:
        raise RuntimeError(f"no model in {folder / 'models'}")
    endpoints = folder / "bench-endpoints.yml"  # filled in by with_action_port
    return Bot("rasa init bot", folder, models[-1], endpoints, _write_credentials(folder), env,
               train_seconds)


def prepare_this_bot(work: Path, logs: Path, time_training: bool) -> Bot:
    """This bot, served from models/walkaway.tar.gz; with ``time_training`` a from-scratch
    ``rasa train`` into a temporary folder is timed (models/ is not touched)."""
    if not THIS_MODEL.exists():
        raise SystemExit(f"{THIS_MODEL} is missing: run `make train` first")
    train_seconds = None
    if time_training:
        log("this bot: training from scratch into a temporary folder (rasa train, empty cache) ...")
        out = work / "walkaway-train"
        train_env = base_env(RASA_CACHE_DIRECTORY=str(work / "cache-walkaway"))
        train_seconds = run_timed(
            "this bot's training",
            [str(RASA), "train", "--config", "bot/config.yml", "--domain", "bot/domain",
             "--data", "data", "--out", str(out), "--fixed-model-name", "walkaway-bench"],
            ROOT, train_env, logs / "train-walkaway.log",
        )
        log(f"this bot: trained in {train_seconds:.0f} s")
    folder = work / "walkaway"
    folder.mkdir(parents=True, exist_ok=True)
    return Bot("this bot", ROOT, THIS_MODEL, ROOT / "endpoints.yml", _write_credentials(folder),
               base_env(), train_seconds)


def with_action_port(bot: Bot, actions_port: int, work: Path) -> Dict[str, str]:
    """Point ``bot`` at its action server on ``actions_port``; the environment to run it with."""
    url = f"http://127.0.0.1:{actions_port}/webhook"
    if bot.folder == ROOT:
        # endpoints.yml reads these; the SQLite tracker store it ships with, in a fresh file
        db = work / "walkaway" / "tracker.sqlite3"
        if db.exists():
            db.unlink()
        return {**bot.env, "ACTION_SERVER_URL": url, "TRACKER_STORE_URL": f"sqlite:///{db}",
                "LOCK_STORE_URL": ""}
    # the reference ships its action_endpoint commented out and no tracker_store (in-memory)
    bot.endpoints.write_text(f'action_endpoint:\n  url: "{url}"\n')
    return dict(bot.env)
