"""Sketch to painting: pix2pix (U-Net + PatchGAN) and Pix2PixHD (the brief's generator,
multi-scale discriminators, feature matching, VGG perceptual loss), trained on pairs of line
art and pictures that are made automatically from a folder of paintings."""
