"""The GRU cell fed eps[:, 0] at every step: the same noise at every step (the issue's list), so the motion is a
deterministic function of the first draw."""
EXERCISE = "MotionRNN"
EXPECT = "same noise"
EDIT = [("            h = self.cell(eps[:, t], h)", "            h = self.cell(eps[:, 0], h)")]
