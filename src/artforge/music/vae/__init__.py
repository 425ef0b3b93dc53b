"""A melody latent space after MusicVAE (Roberts et al., 2018): 2- and 16-bar melodies encoded by
a bidirectional LSTM, decoded flat (2 bars) or through a conductor (16 bars); sampling,
interpolation and attribute vectors in its latent space."""
