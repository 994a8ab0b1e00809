"""Conditional batch norm on top of an affine batch norm (nn.BatchNorm2d(C) keeps its own gamma and beta; the pytorch
issue #8985 discussion and maum-ai/faceshifter issue #18 point out it must be affine=False)."""
EXERCISE = "ConditionalBatchNorm2d"
EXPECT = "affine"
EDIT = [("self.bn = nn.BatchNorm2d(num_features, affine=False)", "self.bn = nn.BatchNorm2d(num_features)")]
