"""Several instruments that play together: multi-track 4-bar passages (a multi-track token
Transformer and a MuseGAN-style piano-roll GAN), and accompaniment of a given melody."""
