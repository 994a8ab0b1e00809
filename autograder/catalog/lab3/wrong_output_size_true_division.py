"""Output-size formula with true division: 64 with kernel 3, stride 2, padding 1 gives 32.5 instead of 32."""
EXERCISE = "conv_output_size"
EXPECT = "floor division"


def conv_output_size(size, kernel_size, stride=1, padding=0, dilation=1, transposed=False, output_padding=0):
    span = dilation * (kernel_size - 1) + 1
    if transposed:
        return (size - 1) * stride - 2 * padding + span + output_padding
    return (size + 2 * padding - span) / stride + 1
