"""The mask and its complement swapped: video = m * background + (1 - m) * foreground, the mask then marks the
static part."""
EXERCISE = "vgan_composite"
EXPECT = "weighs the background"
EDIT = [("    video = mask * foreground + (1 - mask) * background.unsqueeze(2)",
         "    video = mask * background.unsqueeze(2) + (1 - mask) * foreground")]
