"""Pictures: GANs, sketch → painting, line art and the neural field."""

from artforge.image.medium import MEDIUM as MEDIUM
