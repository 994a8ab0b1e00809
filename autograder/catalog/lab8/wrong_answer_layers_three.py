"""The minimum clip length worked out for n_layers = 3 (13, the CPU setting's) instead of n_layers = 4."""
EXERCISE = "answer_min_frames"
EXPECT = "n_layers = 3"
EDIT = [("    return 16", "    return 13")]
