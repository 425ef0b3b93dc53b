"""GANs for art images: networks, losses, small-data augmentation, training and sampling."""
