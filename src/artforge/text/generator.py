"""The brief's `TextGenerator` (section 4.3), on artforge's GPT instead of a hub download.

    generator = TextGenerator("runs/sonnets")          # or a local Hugging Face gpt2 folder
    texts = generator.generate("Shall I compare thee", max_length=100,
                               num_return_sequences=1, do_sample=True, top_k=50, top_p=0.95,
                               num_beams=1)
"""

from pathlib import Path
from typing import Any

import torch
import torch.nn.functional as F
from torch import nn

from artforge.text.generate import GenerationConfig


class TextGenerator(nn.Module):
    def __init__(self, model: str | Path, device: str = "cpu") -> None:
        super().__init__()
        from artforge.text.pipeline import load_text_model

        self.model = load_text_model(model, device=device)
        self.tokenizer = self.model.tokenizer

    def forward(self, input_ids: torch.Tensor, attention_mask: torch.Tensor | None = None,
                labels: torch.Tensor | None = None) -> torch.Tensor:
        """Logits (batch, length, vocab); `labels` are accepted as in the brief (the loss is
        `F.cross_entropy` of shifted logits, see `loss`). Padding masks are not supported:
        give sequences of one length."""
        if attention_mask is not None and not bool(attention_mask.all()):
            raise ValueError("TextGenerator takes unpadded sequences (attention_mask all ones)")
        return self.model(input_ids)

    def loss(self, input_ids: torch.Tensor, labels: torch.Tensor) -> torch.Tensor:
        logits = self.model(input_ids)[:, :-1]
        return F.cross_entropy(logits.flatten(0, 1), labels[:, 1:].flatten())

    def generate(self, prompt: str, max_length: int = 100, num_return_sequences: int = 1,
                 do_sample: bool = True, top_k: int = 50, top_p: float = 0.95,
                 num_beams: int = 1, **controls: Any) -> list[str]:
        """Texts that continue `prompt` (prompt included), as in the brief. `controls` takes
        any other GenerationConfig field (temperature, repetition_penalty, seed, stop, ...)."""
        from artforge.text.pipeline import generate_text

        config = GenerationConfig(max_length=max_length,
                                  num_return_sequences=num_return_sequences,
                                  do_sample=do_sample, top_k=top_k, top_p=top_p,
                                  num_beams=num_beams, **controls)
        return generate_text(self.model, prompt, config).texts
