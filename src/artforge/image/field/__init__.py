"""The foundation's toy model: a neural field that learns to paint one picture.

It exercises everything the media share (config, registry, Trainer, checkpoints, catalog,
provenance) on a task whose progress a person can see.
"""
