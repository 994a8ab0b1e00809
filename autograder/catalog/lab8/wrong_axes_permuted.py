"""The frames reshaped to (B, T, C, H, W) and returned without the permute: axes permuted where (B, C, T, H, W) is
expected (the issue's list); Conv3d then reads time as channels."""
EXERCISE = "MoCoGANGenerator"
EXPECT = "axes are permuted"
EDIT = [("        return video.permute(0, 2, 1, 3, 4)                  # (B, C, T, H, W)",
         "        return video                                          # (B, T, C, H, W)")]
