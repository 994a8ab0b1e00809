"""The bias line fitted against N instead of 1/N (and its value at N = 0 reported)."""
EXERCISE = "extrapolate_to_infinite_n"
EXPECT = "against 1/N"
EDIT = [("inv_n = 1.0 / torch.as_tensor(ns, dtype=torch.float64)", "inv_n = torch.as_tensor(ns, dtype=torch.float64)")]
