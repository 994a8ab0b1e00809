"""The B * T frames viewed straight into (B, C, T, H, W) with no permute: the shape is right but frame b * T + t
lands in the wrong channel and time slots (a view is not a transpose)."""
EXERCISE = "MoCoGANGenerator"
EXPECT = "wrong places"
EDIT = [("        video = frames.reshape(b, t, *frames.shape[1:])      # (B, T, C, H, W)\n"
         "        return video.permute(0, 2, 1, 3, 4)                  # (B, C, T, H, W)",
         "        return frames.reshape(b, frames.shape[1], t, *frames.shape[2:])")]
