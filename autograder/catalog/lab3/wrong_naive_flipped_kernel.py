"""Naive transposed convolution that flips the kernel (mixing it up with a convolution written as a correlation)."""
EXERCISE = "conv_transpose2d_naive"
EXPECT = "flipped"

import torch


def conv_transpose2d_naive(x, weight, bias=None, stride=1, padding=0, output_padding=0):
    batch, _, height, width = x.shape
    _, c_out, k_h, k_w = weight.shape
    weight = weight.flip(2, 3)
    full_h = (height - 1) * stride + k_h + output_padding
    full_w = (width - 1) * stride + k_w + output_padding
    out = x.new_zeros(batch, c_out, full_h, full_w)
    for i in range(height):
        for j in range(width):
            out[:, :, i * stride:i * stride + k_h, j * stride:j * stride + k_w] += torch.einsum(
                "bc,cokl->bokl", x[:, :, i, j], weight)
    out = out[:, :, padding:full_h - padding, padding:full_w - padding]
    if bias is not None:
        out = out + bias.view(1, -1, 1, 1)
    return out
