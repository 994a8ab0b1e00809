"""Naive transposed convolution that never crops: padding is ignored, the full (H - 1) * s + k output is returned."""
EXERCISE = "conv_transpose2d_naive"
EXPECT = "crops"

import torch


def conv_transpose2d_naive(x, weight, bias=None, stride=1, padding=0, output_padding=0):
    batch, _, height, width = x.shape
    _, c_out, k_h, k_w = weight.shape
    out = x.new_zeros(batch, c_out, (height - 1) * stride + k_h + output_padding,
                      (width - 1) * stride + k_w + output_padding)
    for i in range(height):
        for j in range(width):
            out[:, :, i * stride:i * stride + k_h, j * stride:j * stride + k_w] += torch.einsum(
                "bc,cokl->bokl", x[:, :, i, j], weight)
    if bias is not None:
        out = out + bias.view(1, -1, 1, 1)
    return out
