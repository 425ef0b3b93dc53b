"""Co-writing: the model proposes continuations of the user's text, one after another, each
streamed to the page as it is written."""

from typing import Any, Literal

from pydantic import BaseModel, Field

from artforge.studio.context import JobContext
from artforge.studio.limits import MAX_ID, STRICT
from artforge.studio.tasks.cache import cached_model

FORMS = ("", "jueju5", "jueju7", "lushi5", "lushi7", "quatrain", "couplet", "sonnet")


class TextRequest(BaseModel):
    """Ask a text model for `suggestions` continuations of `prompt`."""

    model_config = STRICT
    model: int = Field(ge=0, le=MAX_ID,
                       description="A text model's id (GET /api/models?medium=text).")
    prompt: str = Field("", max_length=4000, description="The text so far.")
    suggestions: int = Field(3, ge=1, le=6, description="How many continuations to propose.")
    form: Literal[FORMS] = Field("", description="A verse form the result keeps exactly "
                                                 "(绝句 jueju5/7, 律诗 lushi5/7, quatrain, "
                                                 "couplet, sonnet), or '' for free text.")
    rhyme: bool = Field(False, description="The lines rhyme: the even lines of the Chinese "
                                           "forms; English forms by their scheme (quatrain "
                                           "ABAB, sonnet ABAB CDCD EFEF GG, couplets AABB).")
    length: int = Field(60, ge=1, le=1000, description="Free text: tokens to add.")
    temperature: float = Field(0.9, gt=0, le=3, description="Below 1 safer, above 1 wilder.")
    top_p: float = Field(0.95, gt=0, le=1, description="Nucleus sampling threshold.")
    top_k: int = Field(50, ge=0, le=100_000, description="Sample among the k likeliest (0: all).")
    seed: int = Field(0, ge=0, le=2**31 - 1, description="Suggestion i uses seed + i.")


def prepare(request: TextRequest, model_path: str) -> dict[str, Any]:
    """Check the options with the library's own configs; the job gets them ready to use."""
    from artforge.text.forms import FormConfig
    from artforge.text.generate import GenerationConfig

    config = GenerationConfig(temperature=request.temperature, top_p=request.top_p,
                              top_k=request.top_k, max_new_tokens=request.length,
                              seed=request.seed)
    form = FormConfig(form=request.form, rhyme=request.rhyme)
    return {"request": request.model_dump(), "model": model_path, "prompt": request.prompt,
            "suggestions": request.suggestions, "config": config.to_dict(),
            "form": form.to_dict()}


def generate(context: JobContext, params: dict[str, Any]) -> dict[str, Any]:
    from artforge.text.forms import FormConfig
    from artforge.text.generate import GenerationConfig
    from artforge.text.pipeline import load_text_model

    model = cached_model(params["model"], load_text_model)
    form = FormConfig.from_dict(params["form"])
    count, prompt = params["suggestions"], params["prompt"]
    texts: list[str] = [""] * count
    proposals = []
    for index in range(count):
        config = GenerationConfig.from_dict(params["config"])
        config = config.replace(seed=config.seed + index)
        proposals.append(_propose(context, model, prompt, config, form, texts, index))
        context.progress((index + 1) / count, f"suggestion {index + 1} of {count} written")
    return {"prompt": prompt, "suggestions": proposals}


def _propose(context: JobContext, model: Any, prompt: str, config: Any, form: Any,
             texts: list[str], index: int) -> dict[str, Any]:
    from artforge.text.pipeline import generate_text

    def grow(piece: str) -> None:
        texts[index] += piece
        context.stream({"suggestions": texts, "writing": index})

    result = generate_text(model, prompt, config, form, on_text=grow)
    texts[index] = result.texts[0][len(prompt):]
    context.stream({"suggestions": texts, "writing": index})
    report = result.reports[0]
    return {"text": texts[index], "seed": config.seed,
            "originality": report.summary() if report is not None else None}
