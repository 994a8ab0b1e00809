"""R1 taken at the generated points instead of the real ones: a mix-up of R1 with R2 (the fake-data penalty of
Mescheder et al. 2018), or of which batch train_step passes first."""
EXERCISE = "r1_penalty"
EXPECT = "fake samples"
EDIT = [("points = x_real.detach()", "points = x_fake.detach()")]
