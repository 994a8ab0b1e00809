"""torch.cov(features) without transposing: torch.cov takes variables in rows, so this is the N x N covariance.

The slip reported in lucidrains/denoising-diffusion-pytorch issue #213 (np.cov(x, rowvar=False) replaced by
torch.cov(x), which differ in which axis holds the variables); the mean is taken the same wrong way round here.
"""
EXERCISE = "feature_statistics"
EXPECT = "wrong axis"


def feature_statistics(features):
    import torch

    x = features.double()
    return x.mean(dim=1), torch.cov(x)
