"""The sampled frames passed through .squeeze() (to "remove the time axis"): with one video or one channel the batch
or channel axis goes too (the issue's list)."""
EXERCISE = "sample_frames"
EXPECT = "dropped"
EDIT = [("    return video[torch.arange(b), :, index]   # (B, C, H, W)",
         "    return video[torch.arange(b), :, index].squeeze()")]
