"""Initialisation that zeroes every convolution's bias with m.bias.data.fill_(0) without checking that there is
one: DCGAN's convolutions have bias=False, so it raises AttributeError ('NoneType' object has no attribute
'data'), the error reported in many DCGAN issue threads after adding bias=False to a network."""
EXERCISE = "init_weights"
EXPECT = "NoneType"

import torch.nn as nn


def init_weights(m):
    classname = m.__class__.__name__
    if classname.find("Conv") != -1:
        m.weight.data.normal_(0.0, 0.02)
        m.bias.data.fill_(0)
    elif classname.find("BatchNorm") != -1:
        m.weight.data.normal_(1.0, 0.02)
        m.bias.data.fill_(0)
