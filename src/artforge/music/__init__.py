"""Music: MIDI in and out, melody and chorale models, a melody latent space, a band."""

from artforge.music.medium import MEDIUM as MEDIUM
