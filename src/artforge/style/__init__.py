"""Style transfer for pictures and video: optimisation (Gatys), fast per-style networks
(Johnson), arbitrary styles (AdaIN), video with optical flow, ONNX export and a torch-free
runner. Importing this package imports nothing heavy."""

from artforge.style.medium import MEDIUM as MEDIUM
