"""The gradient norm enters unsquared, as in the WGAN-GP penalty's norm: R1 penalises the squared norm."""
EXERCISE = "r1_penalty"
EXPECT = "squared"
EDIT = [(".square().sum(dim=1).mean()", ".norm(dim=1).mean()")]
