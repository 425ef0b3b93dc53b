"""artforge: a local-first studio for making art with deep learning."""

__version__ = "0.1.0"
