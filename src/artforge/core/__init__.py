"""Machinery every medium shares: device, seeding, configs, registry, checkpoints, Trainer."""
