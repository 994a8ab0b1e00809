"""The clip start drawn from randint(T - L): the last possible start is never drawn (randint's bound is exclusive).
DLHacks/mocogan's trim() draws np.random.randint(0, n_frames - (T + 1)), two starts short."""
EXERCISE = "sample_clips"
EXPECT = "never drawn"
EDIT = [("    starts = torch.randint(t - clip_length + 1, (video.shape[0],), generator=generator)",
         "    starts = torch.randint(max(t - clip_length, 1), (video.shape[0],), generator=generator)")]
