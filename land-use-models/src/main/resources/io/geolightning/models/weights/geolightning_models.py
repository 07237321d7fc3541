"""GeoLightning's networks in PyTorch, written by `geolightning export` beside the weights it exports.

The parameter names and shapes are those of the exported state dict, and the forward passes compute what
GeoLightning's do (same layers, padding, pooling, interpolation and concatenation order), so

    import geolightning_models
    model = geolightning_models.load("exported/model.json")   # built from the card, weights loaded, eval mode
    logits = model((pixels - mean) / std)                      # N x bands x H x W float32, per-band mean/std

gives the checkpoint's logits: N x classes for classifiers, N x classes x H x W for segmenters. The ResNet
classifiers are plain torchvision models; the U-Net with a ResNet encoder holds a torchvision ResNet as its
`encoder`. Needs torch and torchvision (any version since 1.13 / 0.14) and numpy; .safetensors files are read with
the safetensors package where it is installed, else with numpy.
"""
import json
import os

import torch
import torch.nn.functional as F
from torch import nn

__all__ = ["LandUseCnn", "UNet", "ResNetUNet", "build", "load"]


def _conv_bn_relu(cin, cout):
    """3x3 convolution (no bias), batch norm, ReLU: GeoLightning's Layers.convBnRelu at stride 1."""
    return nn.Sequential(nn.Conv2d(cin, cout, 3, 1, 1, bias=False), nn.BatchNorm2d(cout), nn.ReLU(inplace=True))


def _double_conv(cin, cout):
    return nn.Sequential(_conv_bn_relu(cin, cout), _conv_bn_relu(cout, cout))


def _resize(x, height, width, mode):
    """Interpolates to height x width ("bilinear": align_corners=False; "nearest"). At the same size both modes return
    the input exactly, so no test of the sizes is needed, and a traced model resizes for any input size."""
    if mode == "bilinear":
        return F.interpolate(x, size=(height, width), mode="bilinear", align_corners=False)
    return F.interpolate(x, size=(height, width), mode="nearest")


class LandUseCnn(nn.Sequential):
    """The `cnn` classifier: `stages` x (`convs_per_stage` x conv-bn-relu, 2x2 max pooling), channels from `width`
    doubling per stage up to 512, global average pooling, dropout and a linear layer."""

    def __init__(self, bands, classes, width, stages, convs_per_stage, dropout):
        layers = []
        cin, channels = bands, width
        for _ in range(stages):
            for _ in range(convs_per_stage):
                layers.append(_conv_bn_relu(cin, channels))
                cin = channels
            layers.append(nn.MaxPool2d(2, 2))
            channels = min(channels * 2, 512)
        layers += [nn.AdaptiveAvgPool2d(1), nn.Flatten()]
        if dropout > 0:
            layers.append(nn.Dropout(dropout))
        layers.append(nn.Linear(cin, classes))
        super().__init__(*layers)


class UNet(nn.Module):
    """The `unet` segmenter: depth + 1 encoder levels of double conv-bn-relu (width * 2^level channels, at most
    1024) with 2x2 max pooling between them; each decoder level enlarges to its skip's exact size, concatenates the
    skip first, and applies a double conv-bn-relu; a 1x1 convolution gives the logits."""

    def __init__(self, bands, classes, width, depth, upsampling="bilinear"):
        super().__init__()
        if upsampling not in ("bilinear", "nearest", "pixelshuffle"):
            raise ValueError("upsampling must be bilinear, nearest or pixelshuffle, not %r" % upsampling)
        self.depth, self.upsampling = depth, upsampling
        ch = [min(width << level, 1024) for level in range(depth + 1)]
        self.enc = nn.ModuleList(_double_conv(bands if level == 0 else ch[level - 1], ch[level])
                                 for level in range(depth + 1))
        self.up = nn.ModuleDict()
        dec = {}
        cin = ch[depth]
        for level in range(depth - 1, -1, -1):
            if upsampling == "pixelshuffle":
                self.up[str(level)] = nn.Conv2d(cin, ch[level] * 4, 1)
                cin = ch[level]
            dec[level] = _double_conv(ch[level] + cin, ch[level])
            cin = ch[level]
        self.dec = nn.ModuleList(dec[level] for level in range(depth))
        self.head = nn.Conv2d(ch[0], classes, 1)

    def forward(self, x):
        skips = []
        for level in range(self.depth + 1):
            if level > 0:
                x = F.max_pool2d(x, 2, 2)
            x = self.enc[level](x)
            skips.append(x)
        for level in range(self.depth - 1, -1, -1):
            skip = skips[level]
            if self.upsampling == "pixelshuffle":
                x = _resize(F.pixel_shuffle(self.up[str(level)](x), 2), skip.shape[2], skip.shape[3], "nearest")
            else:
                x = _resize(x, skip.shape[2], skip.shape[3], self.upsampling)
            x = self.dec[level](torch.cat([skip, x], 1))
        return self.head(x)


class ResNetUNet(nn.Module):
    """The `unet_resnet18/34/50` segmenters: a torchvision ResNet encoder (features after the stem's ReLU and after
    layer1..layer4), five decoder blocks of decoder_width * (16, 8, 4, 2, 1) channels, each enlarging to its skip
    (the last one to the image), concatenating the skip first, then a double conv-bn-relu; a 1x1 convolution gives
    the logits."""

    def __init__(self, architecture, bands, classes, decoder_width, upsampling="bilinear"):
        super().__init__()
        import torchvision
        resnet = architecture.replace("unet_", "")
        if resnet not in ("resnet18", "resnet34", "resnet50"):
            raise ValueError("architecture must be unet_resnet18, unet_resnet34 or unet_resnet50, not %r" % architecture)
        if upsampling not in ("bilinear", "nearest"):
            raise ValueError("upsampling must be bilinear or nearest, not %r" % upsampling)
        self.upsampling = upsampling
        self.encoder = getattr(torchvision.models, resnet)()
        self.encoder.fc = nn.Identity()
        if bands != 3:
            self.encoder.conv1 = nn.Conv2d(bands, 64, 7, 2, 3, bias=False)
        e = 4 if resnet == "resnet50" else 1
        skips = [256 * e, 128 * e, 64 * e, 64]  # channels of layer3, layer2, layer1 and the stem
        cin = 512 * e
        blocks = []
        for i in range(5):
            cout = decoder_width << (4 - i)
            blocks.append(_double_conv(cin + (skips[i] if i < 4 else 0), cout))
            cin = cout
        self.decoder = nn.ModuleList(blocks)
        self.head = nn.Conv2d(decoder_width, classes, 1)

    def forward(self, x):
        size = x.shape[2:]
        m = self.encoder
        s2 = m.relu(m.bn1(m.conv1(x)))
        s4 = m.layer1(m.maxpool(s2))
        s8 = m.layer2(s4)
        s16 = m.layer3(s8)
        x = m.layer4(s16)
        for i, skip in enumerate([s16, s8, s4, s2, None]):
            if skip is None:
                x = _resize(x, size[0], size[1], self.upsampling)
            else:
                x = torch.cat([skip, _resize(x, skip.shape[2], skip.shape[3], self.upsampling)], 1)
            x = self.decoder[i](x)
        return self.head(x)


_SAFETENSORS_TYPES = {"F64": "<f8", "F32": "<f4", "F16": "<f2", "I64": "<i8", "I32": "<i4", "I16": "<i2", "I8": "i1",
                      "U8": "u1", "BOOL": "?"}


def _read_safetensors(path):
    """A .safetensors file's tensors by name: safetensors.torch.load_file where the package is installed, else read
    with numpy (the format: an 8-byte little-endian header length, a JSON header of dtypes, shapes and offsets, then
    the raw little-endian data)."""
    try:
        import safetensors.torch
        return safetensors.torch.load_file(path)
    except ImportError:
        pass
    import numpy
    with open(path, "rb") as f:
        header = json.loads(f.read(int.from_bytes(f.read(8), "little")))
        data = f.read()
    state = {}
    for name, t in header.items():
        if name != "__metadata__":
            start, end = t["data_offsets"]
            array = numpy.frombuffer(data[start:end], dtype=_SAFETENSORS_TYPES[t["dtype"]]).reshape(t["shape"])
            state[name] = torch.from_numpy(array.copy())
    return state


def build(card):
    """The network a model card (a dict, or the path of model.json) describes, with fresh weights."""
    if not isinstance(card, dict):
        with open(card, encoding="utf-8") as f:
            card = json.load(f)
    arch, bands, classes = card["architecture"], card["bands"], card["classes"]
    o = card.get("options", {})
    if arch == "cnn":
        return LandUseCnn(bands, classes, o["width"], o["stages"], o["convsPerStage"], o["dropout"])
    if arch == "unet":
        return UNet(bands, classes, o["width"], o["depth"], o["upsampling"])
    if arch.startswith("unet_resnet"):
        return ResNetUNet(arch, bands, classes, o["decoderWidth"], o["upsampling"])
    if arch in ("resnet18", "resnet34", "resnet50"):
        import torchvision
        m = getattr(torchvision.models, arch)(num_classes=classes)
        if bands != 3:
            m.conv1 = nn.Conv2d(bands, 64, 7, 2, 3, bias=False)
        return m
    raise ValueError("%s: unknown architecture %r" % (card.get("weights"), arch))


def load(card_path):
    """The exported model: built from the card at card_path, its weights file (beside it) loaded strictly, in eval
    mode."""
    with open(card_path, encoding="utf-8") as f:
        card = json.load(f)
    weights = os.path.join(os.path.dirname(os.path.abspath(card_path)), card["weights"])
    if weights.endswith(".safetensors"):
        state = _read_safetensors(weights)
    else:
        import numpy
        state = {k: torch.from_numpy(v) for k, v in numpy.load(weights).items()}
    model = build(card)
    model.load_state_dict(state)
    return model.eval()
