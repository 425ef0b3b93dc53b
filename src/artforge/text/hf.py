"""Hugging Face GPT-2 folders: export ours so `GPT2LMHeadModel.from_pretrained` loads it, and
import any local GPT-2-family folder (`gpt2`, `uer/gpt2-chinese-poem`, a fine-tune) to
generate with or fine-tune. Nothing is downloaded: a folder that is not there is an error.
"""

import json
from pathlib import Path

import torch
from safetensors.torch import load_file, save_file

from artforge.core.atomic import atomic_folder
from artforge.errors import UserError
from artforge.text.model import GPTConfig, GPTModel
from artforge.text.tokenizer import TextTokenizer

CONV1D = ("attn.c_attn.weight", "attn.c_proj.weight", "mlp.c_fc.weight", "mlp.c_proj.weight")
"""GPT-2 stores these (in, out) in its Conv1D layers; our Linear layers store (out, in)."""
GELUS = {"gelu_new": "gelu_new", "gelu_pytorch_tanh": "gelu_new", "gelu_fast": "gelu_new",
         "gelu": "gelu"}
"""Hugging Face activation names artforge runs, and the form of GELU each one is."""


def is_hf_folder(folder: Path) -> bool:
    """True for a folder that `transformers` saved (its config.json names a model_type)."""
    try:
        return "model_type" in json.loads((Path(folder) / "config.json").read_text())
    except (OSError, ValueError):
        return False


def export_hf(model: GPTModel, folder: Path) -> Path:
    """Write `model` as a `save_pretrained`-style GPT-2 folder (config, safetensors, tokenizer)."""
    cfg: GPTConfig = model.config
    eos = model.tokenizer.eos_id if model.tokenizer else None
    config = {
        "architectures": ["GPT2LMHeadModel"], "model_type": "gpt2",
        "vocab_size": cfg.vocab_size, "n_positions": cfg.block_size, "n_ctx": cfg.block_size,
        "n_embd": cfg.n_embd, "n_layer": cfg.n_layer, "n_head": cfg.n_head, "n_inner": None,
        "activation_function": cfg.activation, "layer_norm_epsilon": cfg.layer_norm_eps,
        "resid_pdrop": cfg.dropout, "embd_pdrop": cfg.dropout, "attn_pdrop": cfg.dropout,
        "initializer_range": 0.02, "tie_word_embeddings": True,
        "bos_token_id": eos, "eos_token_id": eos, "use_cache": True,
    }
    tensors = {}
    for name, tensor in model.net.state_dict().items():
        if name == "lm_head.weight":
            continue  # tied to transformer.wte.weight, as GPT-2 saves it
        tensor = tensor.detach().cpu()
        tensors[name] = (tensor.t() if name.endswith(CONV1D) else tensor).contiguous()
    with atomic_folder(Path(folder)) as tmp:
        (tmp / "config.json").write_text(json.dumps(config, indent=2) + "\n")
        save_file(tensors, tmp / "model.safetensors", metadata={"format": "pt"})
        for name, data in (model.tokenizer.files() if model.tokenizer else {}).items():
            (tmp / name).write_bytes(data)
    return Path(folder)


def import_hf(folder: Path) -> GPTModel:
    """A GPTModel with the weights and tokenizer of the GPT-2-family folder `folder`."""
    folder = Path(folder).expanduser()
    if not (folder / "config.json").is_file():
        raise UserError(f"{folder} is not a Hugging Face model folder (no config.json); "
                        "download the model once elsewhere and copy its folder here.")
    hf = json.loads((folder / "config.json").read_text())
    _check_supported(folder, hf)
    config = GPTConfig(vocab_size=hf["vocab_size"], block_size=hf["n_positions"],
                       n_layer=hf["n_layer"], n_head=hf["n_head"], n_embd=hf["n_embd"],
                       dropout=float(hf.get("resid_pdrop", 0.0)),
                       layer_norm_eps=float(hf.get("layer_norm_epsilon", 1e-5)),
                       activation=GELUS[hf.get("activation_function", "gelu_new")])
    model = GPTModel(config, tokenizer=_tokenizer(folder))
    weights = {}
    for name, tensor in _read_weights(folder).items():
        if name.endswith((".attn.bias", ".attn.masked_bias")):
            continue  # causal-mask buffers of older transformers versions
        name = name if name.startswith(("transformer.", "lm_head.")) else f"transformer.{name}"
        weights[name] = tensor.t() if name.endswith(CONV1D) else tensor
    weights.setdefault("lm_head.weight", weights.get("transformer.wte.weight"))
    missing, unexpected = model.net.load_state_dict(weights, strict=False)
    if missing or unexpected:
        raise UserError(f"the weights in {folder} are not a GPT-2 model's (missing "
                        f"{missing[:3]}, unexpected {unexpected[:3]}).")
    return model


def _check_supported(folder: Path, hf: dict) -> None:
    problems = []
    if hf.get("model_type") != "gpt2":
        problems.append(f"model_type is {hf.get('model_type')!r}, not 'gpt2'")
    if hf.get("activation_function", "gelu_new") not in GELUS:
        problems.append(f"activation {hf.get('activation_function')!r}")
    if hf.get("n_inner") not in (None, 4 * hf.get("n_embd", 0)):
        problems.append("an MLP width other than 4 × n_embd")
    if hf.get("scale_attn_by_inverse_layer_idx") or hf.get("reorder_and_upcast_attn"):
        problems.append("per-layer attention scaling")
    if hf.get("tie_word_embeddings") is False:
        problems.append("untied output embeddings")
    if problems:
        raise UserError(f"{folder} is not a GPT-2 model artforge can load: "
                        + "; ".join(problems) + ".")


def _read_weights(folder: Path) -> dict[str, torch.Tensor]:
    if (folder / "model.safetensors").is_file():
        return load_file(folder / "model.safetensors")
    if (folder / "pytorch_model.bin").is_file():
        return torch.load(folder / "pytorch_model.bin", map_location="cpu", weights_only=True)
    raise UserError(f"{folder} has no model.safetensors or pytorch_model.bin.")


def _tokenizer(folder: Path) -> TextTokenizer:
    if (folder / "tokenizer.json").is_file():
        tokenizer = TextTokenizer.load(folder)
    else:  # vocab.json + merges.txt (GPT-2) or vocab.txt (BERT-style Chinese models)
        from transformers import AutoTokenizer

        try:
            fast = AutoTokenizer.from_pretrained(str(folder), local_files_only=True)
        except (OSError, ValueError) as exc:
            raise UserError(f"{folder} has no tokenizer artforge can read ({exc}).") from None
        tokenizer = TextTokenizer(fast.backend_tokenizer, "bpe")
    model_type = json.loads(tokenizer.tokenizer.to_str())["model"]["type"]
    if model_type == "WordPiece":
        tokenizer.kind = "wordpiece"
    return tokenizer
