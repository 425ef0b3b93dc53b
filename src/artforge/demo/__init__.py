"""`artforge demo`: one work of every medium, shown on one page."""

MEDIA = ("text", "music", "gan", "pix2pix", "style", "band", "melody")
"""What the demo makes besides the neural-field painting: a poem, a piece of music, a GAN
grid, a painting from line art, a stylised photo, a band accompanying a melody and one melody
becoming another."""
