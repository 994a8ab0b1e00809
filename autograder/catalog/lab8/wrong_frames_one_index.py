"""One frame index for the whole batch: DLHacks/mocogan's train.py takes real_videos[:, :, np.random.randint(0, T)],
so every video of a batch shows D_I the same time step (not independent per video)."""
EXERCISE = "sample_frames"
EXPECT = "same frame"
EDIT = [("    index = torch.randint(t, (b,), generator=generator)\n"
         "    return video[torch.arange(b), :, index]   # (B, C, H, W)",
         "    index = int(torch.randint(t, (1,), generator=generator))\n"
         "    return video[:, :, index]")]
