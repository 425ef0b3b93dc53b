"""Text tasks: load a GPT, generate from it (free or in a verse form), evaluate it. Training one
is artforge.text.train."""

import dataclasses
import math
from collections.abc import Callable
from pathlib import Path
from typing import Any

import torch

from artforge.core.evaluate import evaluate
from artforge.core.registry import PIPELINES
from artforge.data.shipped_models import builtin_params, model_folder
from artforge.data.text import Document, load_corpus
from artforge.errors import UserError
from artforge.text.forms import CHINESE, FormConfig, build_constraints
from artforge.text.generate import GenerationConfig, sample
from artforge.text.lexicon import doubled_characters, lexicon_of
from artforge.text.medium import MEDIUM
from artforge.text.model import GPTModel, TokenWindows
from artforge.text.originality import Originality, originality
from artforge.text.tokenizer import TextTokenizer, control_token

GENERATE_PIPELINE = "text.generate"


def encode_documents(tokenizer: TextTokenizer, documents: list[Document]) -> torch.Tensor:
    """One token stream: each document is [control] text <|endoftext|>."""
    encodings = tokenizer.encode_texts([d.text for d in documents])
    stream: list[int] = []
    for doc, ids in zip(documents, encodings, strict=True):
        control = tokenizer.token_id(control_token(doc.control)) if doc.control else None
        stream += ([control] if control is not None else []) + ids
        stream += [tokenizer.eos_id] if tokenizer.eos_id is not None else []
    return torch.tensor(stream, dtype=torch.long)


def load_text_model(path: str | Path, device: str = "cpu") -> GPTModel:
    """A GPT from an artforge model/run folder, a shipped model (builtin:NAME) or a Hugging
    Face GPT-2 folder."""
    from artforge.core.device import pick_device
    from artforge.text.hf import import_hf, is_hf_folder

    path = model_folder(path, MEDIUM.shipped, "text")
    device = str(pick_device(device))  # "auto" too
    model = import_hf(path).to(device).eval() if is_hf_folder(path) else GPTModel.load(
        path, device=device)
    if model.tokenizer is None:
        raise UserError(f"{path} has no tokenizer.json, so its text cannot be encoded.")
    return model


@dataclasses.dataclass
class Generation:
    prompt: str
    texts: list[str]
    """Prompt + continuation, one per returned sequence."""
    reports: list[Originality | None]
    """Originality of each continuation; None when the model folder has no training text."""


def generate_text(model: GPTModel | str | Path, prompt: str = "",
                  config: GenerationConfig | None = None, form: FormConfig | None = None, *,
                  control: str | None = None,
                  on_text: Callable[[str], None] | None = None) -> Generation:
    """Continue `prompt` with the model: free text, or exactly in a verse form."""
    config, form = config or GenerationConfig(), form or FormConfig()
    # 1. Check inputs.
    if not isinstance(model, GPTModel):
        model = load_text_model(model)
    tokenizer = model.tokenizer
    if config.num_beams > 1 and form.form:
        raise UserError("verse forms are decoded by sampling; use --num-beams 1 with --form.")
    # 2. Encode: start of text, control code, then the prompt.
    ids = [tokenizer.eos_id] if tokenizer.eos_id is not None else []
    if control:
        control_id = tokenizer.token_id(control_token(control))
        if control_id is None:
            raise UserError(f"this model has no control code {control!r}; it knows: "
                            f"{', '.join(_controls(tokenizer)) or 'none'}.")
        ids.append(control_id)
    prompt_ids = tokenizer.encode(prompt, strict=tokenizer.kind == "char")
    ids += prompt_ids
    if config.max_new_tokens is None:  # max_length counts the prompt, not our start tokens
        config = config.replace(max_new_tokens=config.new_tokens(len(prompt_ids)))
    # 3. Constraints for the form, then decoding.
    words = (lexicon_of(model.corpus_text) if form.keeps_to_words() and model.corpus_text
             else None)
    doubles = (doubled_characters(model.corpus_text)
               if form.keeps_to_doubles() and model.corpus_text else None)
    constraints = build_constraints(form, tokenizer, prompt, config.num_return_sequences, words,
                                    doubles=doubles)
    if config.num_beams > 1:
        from artforge.text.beam import beam_search

        new = beam_search(model.net, tokenizer, ids, config)
    elif form.chooses_lines():
        from artforge.text.line_choice import write_chosen_lines

        new = write_chosen_lines(model.net, tokenizer, ids, prompt, config, form, words, on_text,
                                 doubles=doubles)
    else:
        new = sample(model.net, tokenizer, ids, config, constraints, on_text)
    # 4. Texts and their originality against the training text.
    continuations = [tokenizer.decode(row) for row in new]
    corpus = model.corpus_text
    lines = {line.strip() for line in corpus.splitlines()} if corpus else set()
    reports = [originality(text, corpus, lines) if corpus else None for text in continuations]
    return Generation(prompt, [prompt + text for text in continuations], reports)


def _controls(tokenizer: TextTokenizer) -> list[str]:
    vocab = tokenizer.tokenizer.get_vocab()
    return sorted(t[2:-2] for t in vocab if t.startswith("<|") and t.endswith("|>")
                  and t not in ("<|endoftext|>", "<|unk|>"))


def eval_text(model_path: str | Path, data: str, *, batch_size: int = 16, device: str = "cpu",
              simplified: bool = False) -> dict[str, float]:
    """Validation loss, perplexity and bits per character of the model on `data`'s split."""
    model = load_text_model(model_path, device=device)
    corpus = load_corpus(data, simplified=simplified)
    tokens = encode_documents(model.tokenizer, corpus.validation)
    block = min(model.config.block_size, len(tokens) - 1)
    if block < 2:
        raise UserError(f"{data}'s validation part is too short to evaluate.")
    metrics = evaluate(model, TokenWindows(tokens, block, stride=block), batch_size,
                       torch.device(device))
    windows = (len(tokens) - 1) // block
    characters = len(model.tokenizer.decode(tokens[:windows * block + 1][1:].tolist(),
                                            skip_special_tokens=False))
    nats = metrics["loss"] * windows * block
    return {"loss": metrics["loss"], "perplexity": math.exp(metrics["loss"]),
            "bits_per_char": nats / max(characters, 1) / math.log(2),
            "tokens": float(windows * block)}


def save_generation(result: Generation, params: dict[str, Any], model_path: str | None,
                    out: Path, catalog: bool = True) -> Path:
    """Write the texts to `out` (one after another, separated by a blank line) and catalogue it."""
    from artforge.core.atomic import write_text

    out = Path(out)
    write_text(out, "\n\n".join(result.texts) + "\n")
    if catalog:
        from artforge.catalog import records
        from artforge.core.card import invoking_command

        named = {} if model_path is None else builtin_params(model_path, MEDIUM.shipped)
        if named:  # the row keeps the folder and its hash
            params = {**params, **named}
            model_path = str(model_folder(named["builtin_model"], MEDIUM.shipped, "text"))
        records.record_work("text", GENERATE_PIPELINE, params, params["config"]["seed"],
                            str(out), model_path=model_path, command=invoking_command())
    return out


def saved_form(saved: dict[str, Any]) -> FormConfig:
    """The FormConfig of a catalogued text as it was written: a row from before lines were
    chosen among candidates (no "candidates") was written in one pass, and so was a Chinese
    poem from before the rule against repeated characters (no "allow_repeats"), whatever
    "candidates" it carries: only English rhymes chose their lines then. A Chinese poem from
    before couplets kept to one scene (no "allow_scene_mix") chose them without it, and one
    from before reduplication kept to the training text's (no "allow_any_doubles") may
    reduplicate any character."""
    old: dict[str, Any] = {}
    chinese = saved.get("form") in CHINESE
    if "candidates" not in saved or ("allow_repeats" not in saved and chinese):
        old["candidates"] = 1
    if "allow_scene_mix" not in saved and chinese:
        old["allow_scene_mix"] = True
    if "allow_any_doubles" not in saved and chinese:
        old["allow_any_doubles"] = True
    return FormConfig.from_dict({**saved, **old})


@PIPELINES.register(GENERATE_PIPELINE)
def reproduce_generation(params: dict[str, Any], seed: int, model_path: str | None,
                         out: Path) -> Path:
    """Re-create a catalogued text: same model, prompt, options and seed."""
    if model_path is None:
        raise UserError("this text has no model folder recorded, so it cannot be reproduced.")
    config = GenerationConfig.from_dict(params["config"])
    config = config if seed is None else config.replace(seed=seed)  # the row's seed decides
    form = saved_form(params["form"])
    model = params.get("builtin_model") or model_path
    result = generate_text(model, params["prompt"], config, form, control=params["control"])
    return save_generation(result, params, model_path, out, catalog=False)
