"""The Fréchet distance returned as computed: rounding makes it a tiny negative number for identical statistics.

pytorch-fid's calculate_frechet_distance and torchmetrics' _compute_fid both return the raw sum; the contract
promises a value >= 0.
"""
EXERCISE = "frechet_distance"
EXPECT = "clipped to 0"
EDIT = [("return max(value, 0.0)", "return value")]
