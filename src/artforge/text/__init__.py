"""Text: GPT models for poems, stories and scripts, with exact verse forms."""

from artforge.text.medium import MEDIUM as MEDIUM
