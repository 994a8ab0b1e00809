"""KID computed in the features' own dtype: float32 features give a float32-precision estimate.

torchmetrics' poly_mmd (src/torchmetrics/image/kid.py) computes in the dtype it is given; the contract asks for
float64, and the estimate is a small difference of large kernel sums.
"""
EXERCISE = "kernel_inception_distance"
EXPECT = "float64"
EDIT = [("x, y = features1.double(), features2.double()", "x, y = features1, features2")]
