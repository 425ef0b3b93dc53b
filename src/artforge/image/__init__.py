"""Images: GANs (artforge.image.gan) and, later, sketch-to-painting translation."""
