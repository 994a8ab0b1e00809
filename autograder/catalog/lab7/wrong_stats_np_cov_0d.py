"""np.cov(features, rowvar=False) as is: for one feature (d = 1) it returns a 0-d array, not a (1, 1) matrix.

Approach of mseitzer/pytorch-fid, src/pytorch_fid/fid_score.py (calculate_activation_statistics: np.mean over
axis 0 and np.cov with rowvar=False), restated with tensors coming back; right for d >= 2 only.
"""
EXERCISE = "feature_statistics"
EXPECT = "(1, 1) matrix"


def feature_statistics(features):
    import numpy as np
    import torch

    act = features.detach().double().numpy()
    return torch.from_numpy(np.mean(act, axis=0)), torch.from_numpy(np.asarray(np.cov(act, rowvar=False)))
